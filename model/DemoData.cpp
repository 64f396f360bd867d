// Demo reference data for a district centre (330102). Realistic enough to show the
// rules: a bundle whose matters share materials, an immediate matter, a 100-day limit.
#include "model/Catalogue.h"

namespace ow::model {

namespace {

TimeLimit wd(int days)
{
    return {days, DayCounting::Working};
}
TimeLimit cd(int days)
{
    return {days, DayCounting::Calendar};
}

Material idCard()
{
    return {"id_card", "居民身份证", "Resident identity card", MaterialForm::Original, 1, true, true};
}

} // namespace

Catalogue demoCatalogue()
{
    Catalogue c;
    c.addMatter({"330102-BDC-001", "不动产转移登记", "Real estate transfer registration", "区不动产登记中心",
        "A", wd(30), wd(5), 8000, true, true, false, 1,
        {idCard(),
            {"property_certificate", "不动产权证书", "Real estate title certificate", MaterialForm::Original,
                1, true, false},
            {"sale_contract", "存量房买卖合同", "Second-hand housing sale contract", MaterialForm::Original,
                2, true, false},
            {"marriage_record", "婚姻状况证明", "Marital status record", MaterialForm::Copy, 1, true,
                true}}});
    c.addMatter({"330102-SW-001", "契税申报", "Deed tax declaration", "区税务局", "A", wd(5), wd(1), 0, true,
        true, true, 1,
        {idCard(),
            {"sale_contract", "存量房买卖合同", "Second-hand housing sale contract", MaterialForm::Copy, 1,
                true, false},
            {"property_certificate", "不动产权证书", "Real estate title certificate", MaterialForm::Copy, 1,
                true, false}}});
    c.addMatter({"330102-SDQ-001", "水电气过户", "Water, power and gas account transfer",
        "区公用事业服务窗口", "A", wd(5), wd(1), 0, true, true, true, 1,
        {idCard(),
            {"property_certificate", "不动产权证书", "Real estate title certificate", MaterialForm::Copy, 1,
                true, false}}});
    c.addMatter({"330102-SC-001", "个体工商户设立登记", "Sole proprietorship registration",
        "区市场监督管理局", "B", wd(15), wd(1), 0, true, true, false, 1,
        {idCard(),
            {"premises_proof", "经营场所使用证明", "Proof of business premises", MaterialForm::Copy, 1, true,
                false},
            {"registration_form", "个体工商户开业登记申请书", "Registration application form",
                MaterialForm::Original, 1, true, false}}});
    c.addMatter({"330102-YB-001", "医保参保登记", "Medical insurance enrolment", "区医疗保障局", "B", wd(5),
        wd(1), 0, true, true, true, 1, {idCard()}});
    c.addMatter({"330102-GA-001", "居住证申领", "Residence permit application", "区公安分局", "B", wd(15),
        wd(10), 0, true, false, false, 1,
        {idCard(),
            {"residence_proof", "居住登记证明", "Proof of registered residence", MaterialForm::Original, 1,
                true, false},
            {"photo", "近期免冠照片", "Recent photograph", MaterialForm::Original, 2, false, false}}});
    c.addMatter({"330102-FGW-001", "企业投资项目备案", "Enterprise investment project filing",
        "区发展和改革局", "C", cd(100), cd(60), 0, true, true, false, 1,
        {{"business_licence", "营业执照", "Business licence", MaterialForm::Copy, 1, true, true},
            {"project_report", "项目申请报告", "Project application report", MaterialForm::Original, 1, true,
                false},
            {"land_use_proof", "用地证明文件", "Land use certificate", MaterialForm::Copy, 1, true, false}}});
    c.addBundle({"330102-YJS-001", "二手房交易一件事", "Second-hand home purchase (one thing)",
        {"330102-BDC-001", "330102-SW-001", "330102-SDQ-001"}});
    c.addBundle({"330102-YJS-002", "开办个体工商户一件事", "Opening a sole proprietorship (one thing)",
        {"330102-SC-001", "330102-YB-001"}});
    return c;
}

} // namespace ow::model
