#include "model/Documents.h"

#include "model/CaseWorkService.h"
#include "model/Error.h"
#include "model/Identity.h"

#include <algorithm>
#include <map>
#include <utility>

namespace ow::model {

namespace {

// Every word the documents print, in one place. These are legal forms handed to
// citizens: the wording follows the usual national templates and is always Chinese,
// whatever language the clerk's screen is in. "{name}" marks a value filled in below.
struct Wording {
    // Titles
    const char* acceptanceTitle = "受理通知书";
    const char* noticeTitle = "一次性告知书";
    const char* refusalTitle = "不予受理通知书";
    const char* commitmentTitle = "容缺受理承诺书";
    const char* pickupTitle = "办结取件单";

    // Every document
    const char* numberLabel = "编号：";
    const char* reprintMark = "补打";
    const char* reprintNote = "本件为补打件，原件出具日期：{original}，补打日期：{today}。";
    const char* reprintNoteUndated = "本件为补打件，补打日期：{today}。";
    const char* qrCaption = "扫码查询办件";
    const char* continuedMark = "（续）";
    const char* pageFormat = "第{page}页　共{pages}页";
    const char* addressee = "{name}：";
    const char* youPerson = "你";
    const char* youEnterprise = "你单位";
    const char* mePerson = "本人";
    const char* meEnterprise = "本单位";
    const char* listSeparator = "、";
    const char* bundleWithMatters = "{bundle}（{matters}）";
    const char* empty = "—";
    const char* date = "{y}年{m}月{d}日";
    const char* dateBlank = "年　　月　　日";
    const char* windowName = "{window}窗口";
    const char* placeWithAddress = "{centre}（{address}）";

    // Applicant rows
    const char* caseNumber = "办件编号";
    const char* applicant = "申请人";
    const char* idNumber = "证件号码";
    const char* idWithKind = "{number}（{kind}）";
    const char* creditCode = "统一社会信用代码";
    const char* legalRepresentative = "法定代表人";
    const char* phone = "联系电话";
    const char* agent = "代理人（经办人）";
    const char* agentId = "代理人证件号码";
    const char* serviceMode = "办理方式";
    const char* assisted = "帮办代办";
    const char* matters = "申请事项";

    // Identity document kinds
    const char* residentId = "居民身份证";
    const char* hkMacaoPermit = "港澳居民居住证";
    const char* taiwanPermit = "台湾居民居住证";
    const char* foreignPrId = "外国人永久居留身份证";
    const char* passport = "护照";

    // Matters and materials
    const char* colIndex = "序号";
    const char* colMatterCode = "事项编码";
    const char* colMatterName = "事项名称";
    const char* colDepartment = "承办部门";
    const char* colPromised = "承诺时限";
    const char* colMaterial = "材料名称";
    const char* colForm = "形式";
    const char* colCount = "份数";
    const char* colReceipt = "收取情况";
    const char* colNoticeItem = "需补正的材料或事项";
    const char* colRequiredBy = "所涉事项";
    const char* colOwed = "容缺材料";
    const char* original = "原件";
    const char* copy = "复印件";
    const char* count = "{n}份";
    const char* received = "已收取";
    const char* dataShared = "免提交（数据共享）";
    const char* owed = "容缺后补";
    const char* workingDays = "{n}个工作日";
    const char* calendarDays = "{n}个自然日";

    // Deadline, delivery and the issuing window
    const char* acceptedOn = "受理日期";
    const char* promisedLimit = "承诺办结时限";
    const char* promisedDate = "承诺办结日期";
    const char* promisedDateValue = "{date}前";
    const char* promisedDateProvisional = "{date}前（该年度节假日尚未公布，按工作日推算）";
    const char* promisedDateSuspended = "办理暂停中，恢复后顺延";
    const char* commitmentDue = "容缺材料补交期限";
    const char* commitmentDueValue = "{date}前";
    const char* delivery = "结果送达方式";
    const char* deliveryWindow = "窗口领取";
    const char* deliveryPost = "免费邮寄送达";
    const char* deliveryELicence = "电子证照";
    const char* postalAddress = "邮寄地址";
    const char* acceptingCentre = "受理机构";
    const char* acceptingWindow = "受理窗口";
    const char* acceptingClerk = "受理人";
    const char* consultPhone = "咨询电话";

    // 受理通知书
    const char* headingApplicant = "申请人信息";
    const char* headingCase = "办件信息";
    const char* headingPickupMatters = "办理事项";
    const char* headingMatters = "申请事项";
    const char* headingMaterials = "已收取材料";
    const char* headingAcceptance = "办理时限与结果送达";
    const char* acceptedIntro = "{you}于{opened}提交的{matters}申请，经审查，申请材料齐全、符合法定形式，"
                                "决定予以受理。现将有关事项告知如下：";
    const char* acceptedDeficientIntro
        = "{you}于{opened}提交的{matters}申请，经审查，主要申请材料齐全、符合法定形式，"
          "所缺材料已由{you}书面承诺于{due}前补交，决定予以容缺受理。现将有关事项告知如下：";
    const char* acceptedClock = "承诺办结时限自受理之日的次日起计算；依法需要补正、听证、检验、检测、鉴定、"
                                "专家评审等的，所需时间不计算在内。办理期间，可凭本通知书或扫描右上角二维码"
                                "查询办理进度。";
    const char* acceptedOwedReminder = "请于{due}前补交上述容缺后补材料；逾期未补交的，将依法终止办理。";

    // 一次性告知书
    const char* noticeIntro = "{you}于{opened}申请办理的{matters}，经审查，申请材料不齐全或者不符合法定形式。"
                              "现将需要补正的全部材料和事项一次性告知如下：";
    const char* headingNoticeItems = "需补正的材料和事项";
    const char* headingWhere = "补正地点";
    const char* noticePlace = "办理地点";
    const char* noticeWindow = "办理窗口";
    const char* noticeClerk = "告知人";
    const char* noticeDate = "告知日期";
    const char* noticeClosing = "请{you}按本告知书备齐上述材料，携带本告知书到上述地点办理补正。材料齐全、"
                                "符合法定形式的，将依法予以受理。除本告知书所列内容外，不再要求{you}补正其他"
                                "材料。";
    const char* receiptSignature = "申请人（代理人）签收";

    // 不予受理通知书
    const char* refusalIntro = "{you}于{opened}提交的{matters}申请，经审查，{reason}。{basis}决定不予受理。";
    const char* refusalBasisClause = "根据{basis}的规定，";
    const char* refusalReason = "不予受理理由";
    const char* refusalBasis = "法律依据";
    const char* refusalDate = "决定日期";
    const char* headingRemedies = "救济途径";
    const char* remedies = "如对本决定不服，可以自收到本通知书之日起60日内向{organ}申请行政复议，"
                           "或者自收到本通知书之日起6个月内向{court}提起行政诉讼。";
    const char* defaultOrgan = "有关行政复议机关";
    const char* defaultCourt = "有管辖权的人民法院";

    // 容缺受理承诺书
    const char* commitmentIntro = "{me}申请办理{matters}，下列材料暂未能提交，现申请容缺受理，并郑重承诺：";
    const char* commitmentPromises[4] = {
        "一、{me}将于{due}前补交上述全部材料，所补交材料真实、合法、有效，与申请时所作说明一致。",
        "二、上述材料补齐前，{me}知悉并同意不出具办理结果。",
        "三、逾期未补交或者补交材料不符合要求的，{me}同意终止办理本申请，并依法承担由此产生的相应责任。",
        "四、以上承诺系{me}真实意思表示。",
    };
    const char* applicantSignature = "申请人（签字或盖章）";
    const char* agentSignature = "代理人（签字）";

    // 办结取件单
    const char* headingResult = "办理结果";
    const char* outcome = "办理结果";
    const char* outcomeApproved = "准予办理";
    const char* outcomeDenied = "不予办理（详见决定书）";
    const char* concludedOn = "办结日期";
    const char* pickupPlace = "领取地点";
    const char* pickupWindow = "领取窗口";
    const char* pickupClerk = "经办人";
    const char* pickupNotes = "请凭本取件单和申请人有效身份证件原件到上述窗口领取办理结果；委托他人领取的，"
                              "另需提交授权委托书和受托人有效身份证件原件。";
    const char* collectorSignature = "领取人（签字）";

    // Refusal reasons recorded as codes (the demo data does); free text is printed as is.
    std::map<std::string, std::string, std::less<>> refusalReasons = {
        {"not_within_remit", "申请事项依法不属于本机关职权范围"},
        {"applicant_not_eligible", "申请人不具备申请资格"},
        {"application_false_materials", "申请人隐瞒有关情况或者提供虚假材料"},
        {"materials_incomplete", "申请材料不齐全，且经一次性告知后仍未补正"},
        {"not_required", "申请事项依法不需要取得行政许可"},
    };
};

const Wording& zh()
{
    static const Wording w;
    return w;
}

using Values = std::vector<std::pair<std::string_view, std::string>>;

std::string fill(std::string_view text, const Values& values = {})
{
    std::string out;
    out.reserve(text.size() + 64);
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] == '{') {
            std::size_t close = text.find('}', i);
            if (close != std::string_view::npos) {
                std::string_view key = text.substr(i + 1, close - i - 1);
                auto it = std::find_if(
                    values.begin(), values.end(), [&](const auto& v) { return v.first == key; });
                if (it != values.end()) {
                    out += it->second;
                    i = close + 1;
                    continue;
                }
            }
        }
        out += text[i++];
    }
    return out;
}

struct KindInfo {
    DocumentKind kind;
    const char* name;
    const char* code;
    const char* Wording::*title;
};

const std::vector<KindInfo>& kinds()
{
    static const std::vector<KindInfo> table = {
        {DocumentKind::AcceptanceNotice, "acceptance_notice", "SL", &Wording::acceptanceTitle},
        {DocumentKind::OneTimeNotice, "one_time_notice", "GZ", &Wording::noticeTitle},
        {DocumentKind::RefusalNotice, "refusal_notice", "BY", &Wording::refusalTitle},
        {DocumentKind::DeficiencyCommitment, "deficiency_commitment", "RQ", &Wording::commitmentTitle},
        {DocumentKind::PickupSlip, "pickup_slip", "LQ", &Wording::pickupTitle},
    };
    return table;
}

const KindInfo& info(DocumentKind kind)
{
    for (const auto& k : kinds())
        if (k.kind == kind)
            return k;
    return kinds().front();
}

[[noreturn]] void notApplicable(const CaseState& state, DocumentKind kind)
{
    throw DomainError("document.not_applicable",
        {{"case", state.number}, {"kind", toString(kind)}, {"status", toString(state.status)}});
}

std::string joined(const std::vector<std::string>& parts, std::string_view separator)
{
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty())
            out += separator;
        out += p;
    }
    return out;
}

bool isEnterprise(const CaseState& s)
{
    return s.applicant.type == ApplicantType::Enterprise;
}

std::string you(const CaseState& s)
{
    return isEnterprise(s) ? zh().youEnterprise : zh().youPerson;
}

std::string me(const CaseState& s)
{
    return isEnterprise(s) ? zh().meEnterprise : zh().mePerson;
}

std::string idKindName(IdKind kind)
{
    const Wording& w = zh();
    switch (kind) {
    case IdKind::ResidentId:
        return w.residentId;
    case IdKind::HongKongMacaoPermit:
        return w.hkMacaoPermit;
    case IdKind::TaiwanPermit:
        return w.taiwanPermit;
    case IdKind::ForeignPermanentResidenceId:
        return w.foreignPrId;
    case IdKind::UnifiedSocialCreditCode:
        return w.creditCode;
    case IdKind::Passport:
        return w.passport;
    }
    return {};
}

// Masked as on screen: never a full identity number on paper either.
std::string maskedId(IdKind kind, const std::string& number)
{
    return maskId(checkId(kind, number).normalized);
}

std::string matterName(const CaseState& s, const std::string& code)
{
    for (const auto& m : s.matters)
        if (m.code == code)
            return m.nameZh.empty() ? m.code : m.nameZh;
    return code;
}

std::string matterList(const CaseState& s)
{
    std::vector<std::string> names;
    for (const auto& m : s.matters)
        names.push_back(m.nameZh.empty() ? m.code : m.nameZh);
    return joined(names, zh().listSeparator);
}

// The matters as the applicant named them: the bundle (一件事) first when there is one.
std::string applicationName(const CaseState& s, const Catalogue& catalogue)
{
    if (const Bundle* b = s.bundle.empty() ? nullptr : catalogue.findBundle(s.bundle))
        return fill(zh().bundleWithMatters, {{"bundle", b->nameZh}, {"matters", matterList(s)}});
    return matterList(s);
}

std::string limitText(const TimeLimit& limit)
{
    return fill(limit.counting == DayCounting::Working ? zh().workingDays : zh().calendarDays,
        {{"n", std::to_string(limit.days)}});
}

std::string formText(MaterialForm form)
{
    return form == MaterialForm::Original ? zh().original : zh().copy;
}

std::string countText(int n)
{
    return fill(zh().count, {{"n", std::to_string(n)}});
}

std::string deliveryText(DeliveryMethod method)
{
    switch (method) {
    case DeliveryMethod::PickUpAtWindow:
        return zh().deliveryWindow;
    case DeliveryMethod::Post:
        return zh().deliveryPost;
    case DeliveryMethod::ELicence:
        return zh().deliveryELicence;
    }
    return {};
}

std::string requiredByText(const CaseState& s, const std::vector<std::string>& codes)
{
    std::vector<std::string> names;
    for (const auto& c : codes)
        names.push_back(matterName(s, c));
    return names.empty() ? std::string(zh().empty) : joined(names, zh().listSeparator);
}

// Block builders

DocumentBlock heading(std::string text)
{
    DocumentBlock b;
    b.type = DocumentBlock::Type::Heading;
    b.text = std::move(text);
    return b;
}

DocumentBlock paragraph(std::string text, bool indent = true)
{
    DocumentBlock b;
    b.type = DocumentBlock::Type::Paragraph;
    b.text = std::move(text);
    b.indent = indent;
    return b;
}

DocumentBlock fields()
{
    DocumentBlock b;
    b.type = DocumentBlock::Type::Fields;
    return b;
}

// Optional rows (an address, a phone) are left out when empty rather than printed blank.
void add(DocumentBlock& b, std::string label, std::string value)
{
    if (!value.empty())
        b.fields.push_back({std::move(label), std::move(value)});
}

DocumentBlock table(std::vector<std::string> columns, std::vector<int> weights)
{
    DocumentBlock b;
    b.type = DocumentBlock::Type::Table;
    b.columns = std::move(columns);
    b.weights = std::move(weights);
    return b;
}

DocumentBlock signatures(std::vector<std::string> labels)
{
    DocumentBlock b;
    b.type = DocumentBlock::Type::Signatures;
    for (auto& l : labels)
        b.signatures.push_back({std::move(l), zh().dateBlank});
    return b;
}

struct Composer {
    Composer(DocumentKind k, const CaseState& state, const Catalogue& cat, const HolidayCalendar& cal,
        const DocumentContext& context)
        : kind(k)
        , s(state)
        , catalogue(cat)
        , calendar(cal)
        , ctx(context)
    {
    }

    DocumentKind kind;
    const CaseState& s;
    const Catalogue& catalogue;
    const HolidayCalendar& calendar;
    const DocumentContext& ctx;
    const Wording& w = zh();
    DocumentContent doc;

    std::string window() const
    {
        const std::string& id = ctx.window.empty() ? s.window : ctx.window;
        return id.empty() ? std::string() : fill(w.windowName, {{"window", id}});
    }

    std::string place() const
    {
        if (ctx.centreAddress.empty())
            return ctx.centreName;
        return fill(w.placeWithAddress, {{"centre", ctx.centreName}, {"address", ctx.centreAddress}});
    }

    std::optional<Date> originalOn() const
    {
        for (const auto& d : s.documents)
            if (!d.reprint && d.number == ctx.number && d.kind == toString(kind))
                return d.on;
        return std::nullopt;
    }

    // A reprint reproduces the original, dated as the original; the note says when it
    // was printed again.
    Date documentDate() const
    {
        if (ctx.reprint)
            if (auto on = originalOn())
                return *on;
        return ctx.issuedOn;
    }

    void header()
    {
        doc.kind = kind;
        doc.title = documentTitle(kind);
        doc.number = ctx.number;
        doc.numberLabel = w.numberLabel;
        doc.reprint = ctx.reprint;
        doc.reprintMark = w.reprintMark;
        if (ctx.reprint) {
            auto on = originalOn();
            doc.reprintNote = on
                ? fill(w.reprintNote, {{"original", chineseDate(*on)}, {"today", chineseDate(ctx.issuedOn)}})
                : fill(w.reprintNoteUndated, {{"today", chineseDate(ctx.issuedOn)}});
        }
        doc.caseNumber = s.number;
        doc.qrPayload = s.number;
        doc.qrCaption = w.qrCaption;
        doc.continuedMark = w.continuedMark;
        doc.pageFormat = w.pageFormat;
    }

    void addressee()
    {
        doc.blocks.push_back(paragraph(fill(w.addressee, {{"name", s.applicant.name}}), false));
    }

    DocumentBlock applicantFields(bool withPhone)
    {
        DocumentBlock b = fields();
        add(b, w.caseNumber, s.number);
        add(b, w.applicant, s.applicant.name);
        if (isEnterprise(s)) {
            add(b, w.creditCode, maskedId(s.applicant.idKind, s.applicant.idNumber));
            add(b, w.legalRepresentative, s.applicant.legalRepresentative);
        } else {
            add(b, w.idNumber,
                fill(w.idWithKind,
                    {{"number", maskedId(s.applicant.idKind, s.applicant.idNumber)},
                        {"kind", idKindName(s.applicant.idKind)}}));
        }
        if (withPhone)
            add(b, w.phone, displayPhone(s.applicant));
        if (const auto& a = s.applicant.agent) {
            add(b, w.agent, a->name);
            add(b, w.agentId,
                fill(w.idWithKind,
                    {{"number", maskedId(a->idKind, a->idNumber)}, {"kind", idKindName(a->idKind)}}));
        }
        if (s.applicant.assisted)
            add(b, w.serviceMode, w.assisted);
        return b;
    }

    DocumentBlock mattersTable(bool withLimit)
    {
        DocumentBlock t = withLimit
            ? table({w.colIndex, w.colMatterCode, w.colMatterName, w.colDepartment, w.colPromised},
                {2, 6, 9, 6, 4})
            : table({w.colIndex, w.colMatterCode, w.colMatterName, w.colDepartment}, {2, 6, 11, 8});
        int i = 0;
        for (const auto& m : s.matters) {
            std::vector<std::string> row
                = {std::to_string(++i), m.code, m.nameZh.empty() ? m.code : m.nameZh, m.department};
            if (withLimit)
                row.push_back(limitText(m.promisedLimit));
            for (auto& cell : row)
                if (cell.empty())
                    cell = w.empty;
            t.rows.push_back(std::move(row));
        }
        return t;
    }

    void acceptance()
    {
        const bool deficient = s.commitmentDue.has_value();
        const std::string due = deficient ? chineseDate(*s.commitmentDue) : std::string();
        addressee();
        doc.blocks.push_back(paragraph(fill(deficient ? w.acceptedDeficientIntro : w.acceptedIntro,
            {{"you", you(s)}, {"opened", chineseDate(s.openedOn)}, {"matters", applicationName(s, catalogue)},
                {"due", due}})));
        doc.blocks.push_back(heading(w.headingApplicant));
        doc.blocks.push_back(applicantFields(true));
        doc.blocks.push_back(heading(w.headingMatters));
        doc.blocks.push_back(mattersTable(true));

        doc.blocks.push_back(heading(w.headingMaterials));
        DocumentBlock mats
            = table({w.colIndex, w.colMaterial, w.colForm, w.colCount, w.colReceipt}, {2, 12, 3, 3, 6});
        int i = 0;
        for (const auto& m : s.materials) {
            const bool owed = std::find(s.committedMaterials.begin(), s.committedMaterials.end(), m.code)
                != s.committedMaterials.end();
            std::string state = m.received ? w.received : m.dataShared ? w.dataShared : owed ? w.owed : "";
            if (state.empty())
                continue; // optional and not brought: not part of the application
            mats.rows.push_back({std::to_string(++i), m.nameZh.empty() ? m.code : m.nameZh, formText(m.form),
                countText(m.count), state});
        }
        doc.blocks.push_back(std::move(mats));

        doc.blocks.push_back(heading(w.headingAcceptance));
        DocumentBlock f = fields();
        add(f, w.acceptedOn, chineseDate(*s.acceptedOn));
        const DeadlineResult d = caseDeadline(s, calendar);
        add(f, w.promisedLimit, limitText(d.limit));
        add(f, w.promisedDate,
            d.suspendedOpenEnded ? std::string(w.promisedDateSuspended)
                                 : fill(d.provisional ? w.promisedDateProvisional : w.promisedDateValue,
                                     {{"date", chineseDate(d.deadline)}}));
        if (deficient)
            add(f, w.commitmentDue, fill(w.commitmentDueValue, {{"date", due}}));
        add(f, w.delivery, deliveryText(s.applicant.delivery));
        if (s.applicant.delivery == DeliveryMethod::Post)
            add(f, w.postalAddress, s.applicant.postalAddress);
        add(f, w.acceptingCentre, ctx.centreName);
        add(f, w.acceptingWindow, window());
        add(f, w.acceptingClerk, ctx.clerkName);
        add(f, w.consultPhone, ctx.centrePhone);
        doc.blocks.push_back(std::move(f));

        doc.blocks.push_back(paragraph(w.acceptedClock));
        if (deficient)
            doc.blocks.push_back(paragraph(fill(w.acceptedOwedReminder, {{"due", due}})));
        issuer();
    }

    void oneTimeNotice()
    {
        addressee();
        doc.blocks.push_back(paragraph(fill(w.noticeIntro,
            {{"you", you(s)}, {"opened", chineseDate(s.openedOn)},
                {"matters", applicationName(s, catalogue)}})));
        doc.blocks.push_back(heading(w.headingApplicant));
        doc.blocks.push_back(applicantFields(false));
        doc.blocks.push_back(heading(w.headingNoticeItems));
        DocumentBlock items
            = table({w.colIndex, w.colNoticeItem, w.colForm, w.colCount, w.colRequiredBy}, {2, 11, 3, 3, 9});
        int i = 0;
        for (const auto& item : s.noticeItems) {
            if (const CaseMaterial* m = s.material(item))
                items.rows.push_back({std::to_string(++i), m->nameZh.empty() ? m->code : m->nameZh,
                    formText(m->form), countText(m->count), requiredByText(s, m->requiredBy)});
            else
                items.rows.push_back({std::to_string(++i), item, w.empty, w.empty, w.empty});
        }
        doc.blocks.push_back(std::move(items));
        doc.blocks.push_back(heading(w.headingWhere));
        DocumentBlock f = fields();
        add(f, w.noticePlace, place());
        add(f, w.noticeWindow, window());
        add(f, w.consultPhone, ctx.centrePhone);
        add(f, w.noticeClerk, ctx.clerkName);
        add(f, w.noticeDate, chineseDate(documentDate()));
        doc.blocks.push_back(std::move(f));
        doc.blocks.push_back(paragraph(fill(w.noticeClosing, {{"you", you(s)}})));
        doc.blocks.push_back(signatures({w.receiptSignature}));
        issuer();
    }

    void refusal()
    {
        auto known = w.refusalReasons.find(s.refusalReason);
        const std::string reason = known != w.refusalReasons.end() ? known->second : s.refusalReason;
        const std::string basis = s.refusalLegalBasis.empty()
            ? std::string()
            : fill(w.refusalBasisClause, {{"basis", s.refusalLegalBasis}});
        addressee();
        doc.blocks.push_back(paragraph(fill(w.refusalIntro,
            {{"you", you(s)}, {"opened", chineseDate(s.openedOn)}, {"matters", applicationName(s, catalogue)},
                {"reason", reason}, {"basis", basis}})));
        doc.blocks.push_back(heading(w.headingCase));
        DocumentBlock f = applicantFields(false);
        add(f, w.matters, applicationName(s, catalogue));
        add(f, w.refusalReason, reason);
        add(f, w.refusalBasis, s.refusalLegalBasis);
        if (s.concludedOn)
            add(f, w.refusalDate, chineseDate(*s.concludedOn));
        doc.blocks.push_back(std::move(f));
        doc.blocks.push_back(heading(w.headingRemedies));
        doc.blocks.push_back(paragraph(fill(w.remedies,
            {{"organ",
                 ctx.reconsiderationOrgan.empty() ? std::string(w.defaultOrgan) : ctx.reconsiderationOrgan},
                {"court", ctx.court.empty() ? std::string(w.defaultCourt) : ctx.court}})));
        doc.blocks.push_back(signatures({w.receiptSignature}));
        issuer();
    }

    void commitment()
    {
        const std::string due = chineseDate(*s.commitmentDue);
        doc.blocks.push_back(heading(w.headingCase));
        DocumentBlock f = applicantFields(true);
        add(f, w.matters, applicationName(s, catalogue));
        add(f, w.acceptingCentre, ctx.centreName);
        if (s.acceptedOn)
            add(f, w.acceptedOn, chineseDate(*s.acceptedOn));
        doc.blocks.push_back(std::move(f));
        doc.blocks.push_back(
            paragraph(fill(w.commitmentIntro, {{"me", me(s)}, {"matters", applicationName(s, catalogue)}})));
        DocumentBlock owed
            = table({w.colIndex, w.colOwed, w.colForm, w.colCount, w.colRequiredBy}, {2, 11, 3, 3, 9});
        int i = 0;
        for (const auto& code : s.committedMaterials) {
            const CaseMaterial* m = s.material(code);
            owed.rows.push_back({std::to_string(++i), m && !m->nameZh.empty() ? m->nameZh : code,
                m ? formText(m->form) : std::string(w.empty), m ? countText(m->count) : std::string(w.empty),
                m ? requiredByText(s, m->requiredBy) : std::string(w.empty)});
        }
        doc.blocks.push_back(std::move(owed));
        for (const char* promise : w.commitmentPromises)
            doc.blocks.push_back(paragraph(fill(promise, {{"me", me(s)}, {"due", due}})));
        DocumentBlock when = fields();
        add(when, w.commitmentDue, fill(w.commitmentDueValue, {{"date", due}}));
        add(when, w.acceptingWindow, window());
        add(when, w.acceptingClerk, ctx.clerkName);
        doc.blocks.push_back(std::move(when));
        std::vector<std::string> signers = {w.applicantSignature};
        if (s.applicant.agent)
            signers.emplace_back(w.agentSignature);
        doc.blocks.push_back(signatures(std::move(signers)));
    }

    void pickup()
    {
        doc.blocks.push_back(heading(w.headingApplicant));
        doc.blocks.push_back(applicantFields(false));
        doc.blocks.push_back(heading(w.headingPickupMatters));
        doc.blocks.push_back(mattersTable(false));
        doc.blocks.push_back(heading(w.headingResult));
        DocumentBlock f = fields();
        add(f, w.outcome, s.outcome == "approved" ? w.outcomeApproved : w.outcomeDenied);
        if (s.concludedOn)
            add(f, w.concludedOn, chineseDate(*s.concludedOn));
        add(f, w.pickupPlace, place());
        add(f, w.pickupWindow, window());
        add(f, w.consultPhone, ctx.centrePhone);
        add(f, w.pickupClerk, ctx.clerkName);
        doc.blocks.push_back(std::move(f));
        doc.blocks.push_back(paragraph(w.pickupNotes));
        doc.blocks.push_back(signatures({w.collectorSignature}));
        issuer();
    }

    void issuer()
    {
        DocumentBlock b;
        b.type = DocumentBlock::Type::Issuer;
        if (!ctx.centreName.empty())
            b.lines.push_back(ctx.centreName);
        b.lines.push_back(chineseDate(documentDate()));
        doc.blocks.push_back(std::move(b));
    }

    DocumentContent compose()
    {
        header();
        switch (kind) {
        case DocumentKind::AcceptanceNotice:
            acceptance();
            break;
        case DocumentKind::OneTimeNotice:
            oneTimeNotice();
            break;
        case DocumentKind::RefusalNotice:
            refusal();
            break;
        case DocumentKind::DeficiencyCommitment:
            commitment();
            break;
        case DocumentKind::PickupSlip:
            pickup();
            break;
        }
        return std::move(doc);
    }
};

} // namespace

std::string toString(DocumentKind kind)
{
    return info(kind).name;
}

std::optional<DocumentKind> documentKindFromString(std::string_view name)
{
    for (const auto& k : kinds())
        if (name == k.name)
            return k.kind;
    return std::nullopt;
}

const std::vector<DocumentKind>& allDocumentKinds()
{
    static const std::vector<DocumentKind> all = [] {
        std::vector<DocumentKind> v;
        for (const auto& k : kinds())
            v.push_back(k.kind);
        return v;
    }();
    return all;
}

std::string_view documentKindCode(DocumentKind kind)
{
    return info(kind).code;
}

std::string documentTitle(DocumentKind kind)
{
    return zh().*(info(kind).title);
}

bool documentApplies(DocumentKind kind, const CaseState& s)
{
    switch (kind) {
    case DocumentKind::AcceptanceNotice:
        return s.acceptedOn.has_value();
    case DocumentKind::OneTimeNotice:
        return s.noticeIssued;
    case DocumentKind::RefusalNotice:
        return !s.refusalReason.empty();
    case DocumentKind::DeficiencyCommitment:
        return s.commitmentDue.has_value() && !s.committedMaterials.empty();
    case DocumentKind::PickupSlip:
        return (s.outcome == "approved" || s.outcome == "denied")
            && s.applicant.delivery == DeliveryMethod::PickUpAtWindow;
    }
    return false;
}

std::vector<DocumentKind> applicableDocuments(const CaseState& state)
{
    std::vector<DocumentKind> out;
    for (DocumentKind k : allDocumentKinds())
        if (documentApplies(k, state))
            out.push_back(k);
    return out;
}

std::string documentNumber(const std::string& caseNumber, DocumentKind kind, int n)
{
    return caseNumber + "-" + std::string(documentKindCode(kind)) + "-" + std::to_string(n);
}

int originalIssues(const CaseState& state, DocumentKind kind)
{
    const std::string name = toString(kind);
    return static_cast<int>(std::count_if(state.documents.begin(), state.documents.end(),
        [&](const IssuedDocument& d) { return d.kind == name && !d.reprint; }));
}

DocumentIssue nextIssue(const CaseState& state, DocumentKind kind)
{
    if (!documentApplies(kind, state))
        notApplicable(state, kind);
    return {documentNumber(state.number, kind, originalIssues(state, kind) + 1), false, std::nullopt};
}

DocumentIssue reprintIssue(const CaseState& state, DocumentKind kind, const std::string& number)
{
    if (!documentApplies(kind, state))
        notApplicable(state, kind);
    const std::string name = toString(kind);
    const IssuedDocument* original = nullptr;
    for (const auto& d : state.documents)
        if (d.kind == name && !d.reprint && (number.empty() || d.number == number))
            original = &d; // the latest one when several match
    if (!original)
        throw DomainError(
            "document.not_issued", {{"case", state.number}, {"kind", name}, {"number", number}});
    return {original->number, true, original->on};
}

DocumentContent composeDocument(DocumentKind kind, const CaseState& state, const Catalogue& catalogue,
    const HolidayCalendar& calendar, const DocumentContext& context)
{
    if (!documentApplies(kind, state))
        notApplicable(state, kind);
    if (context.number.empty())
        throw DomainError("document.number_missing", {{"case", state.number}, {"kind", toString(kind)}});
    return Composer(kind, state, catalogue, calendar, context).compose();
}

std::string chineseDate(Date date)
{
    return fill(zh().date,
        {{"y", std::to_string(date.year())}, {"m", std::to_string(date.month())},
            {"d", std::to_string(date.day())}});
}

} // namespace ow::model
