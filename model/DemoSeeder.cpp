#include "model/DemoSeeder.h"

#include "model/CaseWorkService.h"
#include "model/Error.h"
#include "model/Identity.h"
#include "model/IntakeService.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

namespace ow::model {

namespace {

using Rng = std::mt19937_64;

// std::uniform_int_distribution and std::shuffle differ between standard libraries;
// these use only the engine's raw output, which the standard fixes.
std::int64_t between64(Rng& rng, std::int64_t lo, std::int64_t hi)
{
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(rng() % span);
}

int between(Rng& rng, int lo, int hi)
{
    return static_cast<int>(between64(rng, lo, hi));
}

bool chance(Rng& rng, int percent)
{
    return between(rng, 1, 100) <= percent;
}

template<class T, std::size_t N> const T& pick(Rng& rng, const T (&items)[N])
{
    return items[rng() % N];
}

template<class T> const T& pick(Rng& rng, const std::vector<T>& items)
{
    return items[rng() % items.size()];
}

template<class T> T weighted(Rng& rng, const std::vector<std::pair<T, int>>& items)
{
    int total = 0;
    for (const auto& item : items)
        total += item.second;
    int roll = between(rng, 1, total);
    for (const auto& [value, weight] : items) {
        if (roll <= weight)
            return value;
        roll -= weight;
    }
    return items.back().first;
}

std::string digits(Rng& rng, int count)
{
    std::string s;
    for (int i = 0; i < count; ++i)
        s += static_cast<char>('0' + between(rng, 0, 9));
    return s;
}

std::uint64_t splitMix(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

std::string twoDigits(int n)
{
    return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
}

// ---- names, numbers, addresses ------------------------------------------------------

constexpr std::string_view kSurnames[]
    = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
        "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
        "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "沈", "姚", "卢", "钟",
        "陆", "汪", "范", "金", "方", "邵", "钱", "俞", "楼", "应", "诸葛", "欧阳"};
constexpr std::string_view kMaleGiven[] = {"伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "刚", "平",
    "辉", "斌", "浩", "建华", "建国", "志强", "海涛", "俊杰", "浩然", "子轩", "宇航", "文博", "晨阳", "国平",
    "永康", "立新", "家豪", "一鸣", "天佑", "金发", "根宝"};
constexpr std::string_view kFemaleGiven[] = {"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "婷", "雪", "琳",
    "秀英", "桂英", "玉兰", "欣怡", "梓涵", "诗雨", "思琪", "雨桐", "晓燕", "海燕", "丽华", "美玲", "佳怡",
    "彩凤", "素珍", "一诺", "可馨"};
// U+20BB7, the "tu" form of 吉: outside the BMP, so it needs four bytes in UTF-8 and a
// surrogate pair in UTF-16. It is a real surname and a real test of every layer.
constexpr std::string_view kExtB = "\xF0\xA0\xAE\xB7";

std::string surname(Rng& rng)
{
    return std::string(chance(rng, 2) ? kExtB : pick(rng, kSurnames));
}

std::string personName(Rng& rng, bool male)
{
    std::string name = surname(rng);
    if (chance(rng, 1))
        name += kExtB;
    name += male ? pick(rng, kMaleGiven) : pick(rng, kFemaleGiven);
    return name;
}

// Address codes of real districts, most of them in Hangzhou where the demo centre is.
constexpr std::string_view kHangzhouCodes[] = {"330102", "330105", "330106", "330108", "330109", "330110",
    "330111", "330112", "330113", "330114", "330122", "330127", "330182"};
constexpr std::string_view kOtherCodes[] = {"330203", "330302", "330402", "330502", "330602", "330702",
    "331002", "110101", "310101", "320102", "340102", "350102", "360102", "370102", "410102", "420102",
    "430102", "440103", "500103", "510104", "530102", "610102", "230102", "130102"};

Date randomBirthDate(Rng& rng, Date earliest, Date latest)
{
    if (latest < earliest)
        latest = earliest;
    return Date::fromDays(between64(rng, earliest.days(), latest.days()));
}

// The latest birth date an applicant can have on `today`: ID cards are issued from 16.
Date latestBirth(Date today, int years)
{
    Date cap(2005, 12, 31);
    int y = today.year() - years;
    if (y < 1941)
        y = 1941;
    Date limit(y, 1, 1);
    return std::min(cap, limit.addDays(-1));
}

// GB 11643 layout: 6-digit region, birth date, 2-digit sequence, sex digit, check digit.
std::string gb11643Number(Rng& rng, std::string_view region, Date birth, bool male)
{
    std::string s(region);
    s += birth.compact();
    s += digits(rng, 2);
    s += static_cast<char>('0' + between(rng, 0, 4) * 2 + (male ? 1 : 0));
    s += *gb11643CheckDigit(s);
    return s;
}

std::string residentRegion(Rng& rng)
{
    return std::string(chance(rng, 70) ? pick(rng, kHangzhouCodes) : pick(rng, kOtherCodes));
}

std::string mobile(Rng& rng)
{
    static constexpr std::string_view prefixes[] = {"130", "131", "133", "135", "136", "137", "138", "139",
        "150", "151", "152", "155", "157", "158", "159", "166", "170", "173", "177", "180", "181", "183",
        "185", "186", "187", "188", "189", "191", "195", "198", "199"};
    return std::string(pick(rng, prefixes)) + digits(rng, 8);
}

// GB 11714 organisation code check character over 8 digits.
char gb11714CheckChar(std::string_view body)
{
    static constexpr int weights[] = {3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (std::size_t i = 0; i < 8; ++i)
        sum += (body[i] - '0') * weights[i];
    const int c = 11 - sum % 11;
    if (c == 10)
        return 'X';
    if (c == 11)
        return '0';
    return static_cast<char>('0' + c);
}

// GB 32100: registration authority, entity type, region, organisation code, check.
std::string usccNumber(Rng& rng, std::string_view authorityAndType)
{
    std::string s(authorityAndType);
    s += pick(rng, kHangzhouCodes);
    std::string org = std::to_string(between(rng, 1, 9)) + digits(rng, 7);
    s += org;
    s += gb11714CheckChar(org);
    s += *gb32100CheckChar(s);
    return s;
}

std::string postalAddress(Rng& rng)
{
    static constexpr std::string_view districts[]
        = {"上城区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区", "临平区", "钱塘区"};
    static constexpr std::string_view streets[] = {"解放路", "延安路", "中山中路", "建国南路", "望江路",
        "秋涛路", "凤起路", "清泰街", "庆春路", "江城路", "复兴路", "文三路"};
    return "浙江省杭州市" + std::string(pick(rng, districts)) + std::string(pick(rng, streets))
        + std::to_string(between(rng, 1, 399)) + "号" + std::to_string(between(rng, 1, 20)) + "幢"
        + std::to_string(between(rng, 1, 4)) + "单元" + std::to_string(between(rng, 1, 28))
        + twoDigits(between(rng, 1, 6)) + "室";
}

std::string authorisationRef(Rng& rng, Date today)
{
    return "WT" + std::to_string(today.year() - between(rng, 0, 1)) + digits(rng, 6);
}

Agent syntheticAgent(Rng& rng, Date today)
{
    const bool male = chance(rng, 50);
    Agent g;
    g.name = personName(rng, male);
    g.idKind = IdKind::ResidentId;
    g.idNumber = gb11643Number(
        rng, residentRegion(rng), randomBirthDate(rng, Date(1960, 1, 1), latestBirth(today, 18)), male);
    g.phone = mobile(rng);
    g.authorisation = authorisationRef(rng, today);
    return g;
}

void enterpriseApplicant(Rng& rng, Date today, Applicant& a)
{
    static constexpr std::string_view words[] = {"明远", "恒信", "华盛", "瑞丰", "鼎新", "云帆", "嘉禾",
        "启航", "博源", "智联", "安泰", "天成", "和润", "锦程", "万象", "卓越"};
    static constexpr std::string_view trades[] = {"科技", "贸易", "餐饮管理", "建筑工程", "文化传媒",
        "电子商务", "物业管理", "信息技术", "生物医药", "新能源"};
    static constexpr std::string_view shops[] = {"面馆", "便利店", "水果店", "理发店", "小吃店", "茶庄"};
    a.type = ApplicantType::Enterprise;
    a.idKind = IdKind::UnifiedSocialCreditCode;
    const bool soleProprietor = chance(rng, 20);
    const bool male = chance(rng, 55);
    const std::string family = surname(rng);
    const std::string owner = family + std::string(male ? pick(rng, kMaleGiven) : pick(rng, kFemaleGiven));
    if (soleProprietor) {
        a.name = "杭州市上城区" + family + "记" + std::string(pick(rng, shops));
        a.idNumber = usccNumber(rng, "92");
    } else {
        a.name = "杭州" + std::string(pick(rng, words)) + std::string(pick(rng, trades))
            + (chance(rng, 85) ? "有限公司" : "股份有限公司");
        a.idNumber = usccNumber(rng, "91");
    }
    a.legalRepresentative = owner;
    a.phone = chance(rng, 40) ? "0571-8" + digits(rng, 7) : mobile(rng);
    if (chance(rng, 65))
        a.agent = syntheticAgent(rng, today); // 经办人 sent by the company
}

void personApplicant(Rng& rng, Date today, Applicant& a)
{
    a.type = ApplicantType::Person;
    const bool male = chance(rng, 50);
    const Date birth = randomBirthDate(rng, Date(1940, 1, 1), latestBirth(today, 16));
    const int kind = between(rng, 1, 100);
    if (kind <= 2) {
        a.idKind = IdKind::HongKongMacaoPermit;
        a.idNumber = gb11643Number(rng, chance(rng, 70) ? "810000" : "820000", birth, male);
        a.name = personName(rng, male);
    } else if (kind <= 3) {
        a.idKind = IdKind::TaiwanPermit;
        a.idNumber = gb11643Number(rng, "830000", birth, male);
        a.name = personName(rng, male);
    } else if (kind <= 4) {
        // 2023 layout: 9, province, ISO 3166 numeric nationality, then as GB 11643.
        static constexpr std::string_view nationalities[] = {"840", "826", "276", "250", "392", "410"};
        static constexpr std::string_view names[]
            = {"约翰·史密斯", "玛丽亚·穆勒", "皮埃尔·杜邦", "金敏俊", "田中一郎", "艾米丽·布朗"};
        a.idKind = IdKind::ForeignPermanentResidenceId;
        a.idNumber = gb11643Number(rng, "933" + std::string(pick(rng, nationalities)), birth, male);
        a.name = std::string(pick(rng, names));
    } else {
        a.idKind = IdKind::ResidentId;
        a.idNumber = gb11643Number(rng, residentRegion(rng), birth, male);
        a.name = personName(rng, male);
    }
    if (chance(rng, 96))
        a.phone = mobile(rng);
    const bool elderly = birth.yearsUntil(today) >= 60;
    a.assisted = chance(rng, elderly ? 30 : 4); // 帮办代办
    if (chance(rng, elderly ? 20 : 6))
        a.agent = syntheticAgent(rng, today); // a relative with a power of attorney
}

// ---- the plan of one case -------------------------------------------------------------

constexpr int kDayStartMinute = 8 * 60 + 30; // 08:30 China Standard Time
constexpr int kWorkMinutes = 9 * 60; // until 17:30
constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int64_t kChinaOffsetMs = 8 * 3'600'000;

const std::vector<std::string> kClerks = {"clerk01", "clerk02", "clerk03", "clerk04", "clerk05", "clerk06",
    "clerk07", "clerk08", "clerk09", "clerk10", "clerk11", "clerk12"};
const std::string kReviewer = "reviewer01";
const std::string kManager = "manager01";

std::string windowOf(const std::string& clerk)
{
    return "W" + clerk.substr(clerk.size() - 2); // clerk07 works at W07
}

struct Runner {
    IntakeService intake;
    CaseWorkService work;
    const HolidayCalendar& calendar;
};

// `number` is the case's number, set by the opening action.
using Act = std::function<void(Runner&, std::string& number, Date on)>;

struct Beat {
    int laterWorkingDays = 0; // 0: the same visit
    int minutes = 0; // same visit: after the previous beat; a later day: after 08:30
    int jitterMs = 0; // seconds and milliseconds within the minute
    Act act;
};

struct Moment {
    Date day;
    int minute = 0; // after 08:30
};

Date nextWorkingDay(const HolidayCalendar& cal, Date d)
{
    do
        d = d.addDays(1);
    while (!cal.isWorkingDay(d));
    return d;
}

Date workingDayOnOrBefore(const HolidayCalendar& cal, Date d)
{
    while (!cal.isWorkingDay(d))
        d = d.addDays(-1);
    return d;
}

Date workingDayOnOrAfter(const HolidayCalendar& cal, Date d)
{
    while (!cal.isWorkingDay(d))
        d = d.addDays(1);
    return d;
}

Date addWorkingDays(const HolidayCalendar& cal, Date d, int n)
{
    for (int i = 0; i < n; ++i)
        d = nextWorkingDay(cal, d);
    return d;
}

std::vector<Moment> place(const std::vector<Beat>& beats, Date open, const HolidayCalendar& cal)
{
    std::vector<Moment> out;
    Moment m{open, beats.front().minutes};
    out.push_back(m);
    for (std::size_t i = 1; i < beats.size(); ++i) {
        const Beat& b = beats[i];
        if (b.laterWorkingDays == 0) {
            m.minute += b.minutes;
            if (m.minute >= kWorkMinutes) { // the counter closed: carry on next morning
                m.day = nextWorkingDay(cal, m.day);
                m.minute = b.minutes;
            }
        } else {
            m.day = addWorkingDays(cal, m.day, b.laterWorkingDays);
            m.minute = b.minutes;
        }
        out.push_back(m);
    }
    return out;
}

std::int64_t wallMs(const Moment& m, int jitterMs)
{
    return m.day.days() * kMsPerDay - kChinaOffsetMs + (kDayStartMinute + m.minute) * kMsPerMinute + jitterMs;
}

struct CatalogueView {
    std::vector<std::string> personMatters;
    std::vector<std::string> enterpriseMatters;
    std::vector<std::string> personBundles;
    std::vector<std::string> enterpriseBundles;
    std::vector<std::string> categories; // queue categories the matters name, sorted
};

bool forEnterprises(const ServiceMatter& m)
{
    return std::any_of(m.materials.begin(), m.materials.end(),
        [](const Material& x) { return x.code == "business_licence"; });
}

CatalogueView viewOf(const Catalogue& catalogue)
{
    CatalogueView v;
    for (const auto& [code, m] : catalogue.matters())
        (forEnterprises(m) ? v.enterpriseMatters : v.personMatters).push_back(code);
    if (v.personMatters.empty())
        v.personMatters = v.enterpriseMatters;
    if (v.enterpriseMatters.empty())
        v.enterpriseMatters = v.personMatters;
    std::set<std::string> categories;
    for (const auto& [code, m] : catalogue.matters())
        if (!m.category.empty())
            categories.insert(m.category);
    v.categories.assign(categories.begin(), categories.end());
    for (const auto& [code, b] : catalogue.bundles()) {
        bool known = !b.matterCodes.empty();
        bool enterprise = false;
        for (const auto& mc : b.matterCodes) {
            const ServiceMatter* m = catalogue.findMatter(mc);
            known = known && m;
            enterprise = enterprise || (m && forEnterprises(*m));
        }
        if (known)
            (enterprise ? v.enterpriseBundles : v.personBundles).push_back(code);
    }
    return v;
}

// The windows serving a queue category: the twelve clerks are split into contiguous
// groups, one per category; now and then a general window (any clerk) takes the case.
std::string clerkFor(Rng& rng, const CatalogueView& view, const std::string& category)
{
    const auto& cats = view.categories;
    auto it = std::find(cats.begin(), cats.end(), category);
    if (it == cats.end() || chance(rng, 15))
        return pick(rng, kClerks);
    const auto groups = std::min(cats.size(), kClerks.size());
    const auto group = static_cast<std::size_t>(it - cats.begin()) % groups;
    const std::size_t first = group * kClerks.size() / groups;
    const std::size_t last = (group + 1) * kClerks.size() / groups; // exclusive
    return kClerks[first + static_cast<std::size_t>(rng() % (last - first))];
}

struct CaseSpec {
    IntakeRequest request;
    std::string clerk;
    std::vector<std::string> needed; // mandatory, neither received nor data-shared yet
    std::vector<std::string> optional; // may be handed over, need not be
    std::vector<std::string> departments; // routing targets, one step each
    bool immediate = false; // every matter is decided at the window (即办件)
};

// The matters a request names, a bundle's first, as IntakeService::open collects them.
std::vector<std::string> matterCodesOf(const Catalogue& catalogue, const IntakeRequest& request)
{
    std::vector<std::string> codes;
    if (!request.bundleCode.empty())
        for (const auto* m : catalogue.bundleMatters(request.bundleCode))
            codes.push_back(m->code);
    for (const auto& c : request.matterCodes)
        if (std::find(codes.begin(), codes.end(), c) == codes.end())
            codes.push_back(c);
    return codes;
}

std::string departmentOr(const std::string& d)
{
    return d.empty() ? "综合受理窗口" : d;
}

CaseSpec specFor(
    Rng& rng, const ServiceContext& ctx, const CatalogueView& view, Date today, bool wantsMissing)
{
    CaseSpec s;
    s.request.applicant = syntheticApplicant(rng, today);
    const bool enterprise = s.request.applicant.type == ApplicantType::Enterprise;
    const auto& pool = enterprise ? view.enterpriseMatters : view.personMatters;
    // A case that must lack something needs matters that ask for something.
    for (int attempt = 0; attempt < 12; ++attempt) {
        s.request.bundleCode.clear();
        s.request.matterCodes.clear();
        const auto& bundles = enterprise ? view.enterpriseBundles : view.personBundles;
        if (!bundles.empty() && chance(rng, 30)) {
            s.request.bundleCode = pick(rng, bundles);
            if (chance(rng, 10))
                s.request.matterCodes.push_back(pick(rng, pool));
        } else {
            s.request.matterCodes.push_back(pick(rng, pool));
            if (pool.size() > 1 && chance(rng, 12)) {
                std::string second = pick(rng, pool);
                if (second != s.request.matterCodes.front())
                    s.request.matterCodes.push_back(second);
            }
        }
        s.needed.clear();
        s.optional.clear();
        for (const auto& mm : ctx.catalogue.mergedMaterials(matterCodesOf(ctx.catalogue, s.request))) {
            if (mm.material.dataShared)
                continue;
            (mm.material.mandatory ? s.needed : s.optional).push_back(mm.material.code);
        }
        if (!wantsMissing || !s.needed.empty())
            break;
    }

    std::vector<const ServiceMatter*> matters;
    for (const auto& c : matterCodesOf(ctx.catalogue, s.request))
        if (const ServiceMatter* m = ctx.catalogue.findMatter(c))
            matters.push_back(m);
    s.immediate = !matters.empty();
    for (const auto* m : matters) {
        s.immediate = s.immediate && m->immediate;
        std::string d = departmentOr(m->department);
        if (std::find(s.departments.begin(), s.departments.end(), d) == s.departments.end()
            && s.departments.size() < 3)
            s.departments.push_back(d);
    }

    s.clerk = clerkFor(rng, view, matters.empty() ? std::string() : matters.front()->category);
    s.request.window = windowOf(s.clerk);
    return s;
}

std::vector<std::string> without(const std::vector<std::string>& all, const std::vector<std::string>& minus)
{
    std::vector<std::string> out;
    for (const auto& x : all)
        if (std::find(minus.begin(), minus.end(), x) == minus.end())
            out.push_back(x);
    return out;
}

// Builds one case's timeline as relative beats; dates are fixed later by place().
class CaseScript {
public:
    CaseScript(Rng& rng, CaseSpec spec)
        : m_rng(rng)
        , m_spec(std::move(spec))
        , m_clerk(m_spec.clerk)
    {
    }

    std::vector<Beat> take() { return std::move(m_beats); }

    void build(CaseStatus target)
    {
        switch (target) {
        case CaseStatus::None:
        case CaseStatus::Consulting:
            consulting();
            break;
        case CaseStatus::Accepted:
            intakeToAccepted();
            maybeAssign();
            break;
        case CaseStatus::AcceptedDeficient:
            acceptedDeficient();
            break;
        case CaseStatus::AwaitingCorrection:
            awaitingCorrection();
            break;
        case CaseStatus::Refused:
            refused();
            break;
        case CaseStatus::InReview:
            inReview();
            break;
        case CaseStatus::Suspended:
            suspendedCase();
            break;
        case CaseStatus::Extended:
            extendedCase();
            break;
        case CaseStatus::Approved:
            decided(true);
            break;
        case CaseStatus::Denied:
            decided(false);
            break;
        case CaseStatus::Terminated:
            terminated();
            break;
        case CaseStatus::Delivered:
            delivered();
            break;
        case CaseStatus::Withdrawn:
            withdrawn();
            break;
        case CaseStatus::Closed:
            closed();
            break;
        }
    }

private:
    int jitter() { return between(m_rng, 0, 59'999); }
    void first(Act a) { m_beats.push_back({0, between(m_rng, 0, 420), jitter(), std::move(a)}); }
    void now(Act a, int lo = 2, int hi = 12)
    {
        m_beats.push_back({0, between(m_rng, lo, hi), jitter(), std::move(a)});
    }
    void later(Act a, int lo, int hi)
    {
        m_beats.push_back({between(m_rng, lo, hi), between(m_rng, 0, 480), jitter(), std::move(a)});
    }

    std::vector<std::string> someOf(const std::vector<std::string>& v)
    {
        std::vector<std::string> out;
        for (const auto& x : v)
            if (chance(m_rng, 50))
                out.push_back(x);
        if (out.empty() && !v.empty())
            out.push_back(pick(m_rng, v));
        return out;
    }

    // ---- single actions ----

    void open(std::vector<std::string> received)
    {
        for (const auto& o : m_spec.optional)
            if (chance(m_rng, 60))
                received.push_back(o);
        IntakeRequest req = m_spec.request;
        req.receivedMaterials = std::move(received);
        std::string clerk = m_clerk;
        first([req, clerk](
                  Runner& r, std::string& number, Date) { number = r.intake.open(clerk, req).number; });
    }
    void receive(std::vector<std::string> codes, bool sameVisit, int lo, int hi)
    {
        Act a = [clerk = m_clerk, codes](
                    Runner& r, std::string& n, Date) { r.intake.receiveMaterials(clerk, n, codes); };
        sameVisit ? now(std::move(a), lo, hi) : later(std::move(a), lo, hi);
    }
    void accept()
    {
        now([clerk = m_clerk](Runner& r, std::string& n, Date) { r.intake.accept(clerk, n); });
        document("acceptance_notice", "SL", 85);
        if (chance(m_rng, 4))
            reprint("acceptance_notice", "SL");
    }
    void document(const std::string& kind, const std::string& prefix, int percent)
    {
        if (!chance(m_rng, percent))
            return;
        now([clerk = m_clerk, kind, prefix](Runner& r, std::string& n,
                Date) { r.work.recordDocument(clerk, n, kind, prefix + "-" + n, false); },
            1, 3);
    }
    void reprint(const std::string& kind, const std::string& prefix)
    {
        later(
            [clerk = m_clerk, kind, prefix](Runner& r, std::string& n, Date) {
                r.work.recordDocument(clerk, n, kind, prefix + "-" + n, true); // 补打
            },
            1, 2);
    }
    void notice(std::vector<std::string> items)
    {
        static constexpr std::string_view extras[]
            = {"共有人到场签字", "提供近三个月完税证明", "补充申请表法定代表人签字", "提供原件核对"};
        if (items.empty() || chance(m_rng, 20))
            items.emplace_back(pick(m_rng, extras));
        now([clerk = m_clerk, items](
                Runner& r, std::string& n, Date) { r.intake.issueNotice(clerk, n, items); });
        document("one_time_notice", "GZ", 90);
    }
    void correction(std::vector<std::string> codes, int lo, int hi)
    {
        later([clerk = m_clerk, codes](
                  Runner& r, std::string& n, Date) { r.intake.recordCorrection(clerk, n, codes); },
            lo, hi);
    }
    void acceptDeficient(std::vector<std::string> missing)
    {
        const int dueIn = between(m_rng, 5, 10);
        now([clerk = m_clerk, missing, dueIn](Runner& r, std::string& n, Date on) {
            r.intake.acceptWithDeficiencies(clerk, n, missing, addWorkingDays(r.calendar, on, dueIn));
        });
        document("deficiency_commitment", "RQ", 90); // 容缺受理承诺书
        document("acceptance_notice", "SL", 85);
    }
    void route()
    {
        const bool nextDay = chance(m_rng, 30);
        for (std::size_t i = 0; i < m_spec.departments.size(); ++i) {
            std::string step = "s" + std::to_string(i + 1);
            Act a = [clerk = m_clerk, step, dept = m_spec.departments[i]](
                        Runner& r, std::string& n, Date) { r.work.route(clerk, n, step, dept, kReviewer); };
            if (i == 0 && nextDay)
                later(std::move(a), 1, 1);
            else
                now(std::move(a), 1, 6);
            m_openSteps.push_back(step);
        }
    }
    void completeStep(bool approve)
    {
        if (m_openSteps.empty())
            return;
        std::string step = m_openSteps.front();
        m_openSteps.erase(m_openSteps.begin());
        later([step, outcome = approve ? "approved" : "not_approved"](
                  Runner& r, std::string& n, Date) { r.work.completeStep(kReviewer, n, step, outcome); },
            1, 3);
    }
    void completeAll(bool approve)
    {
        while (!m_openSteps.empty())
            completeStep(approve);
    }
    void suspend()
    {
        static constexpr std::string_view reasons[] = {
            "等待现场勘查", "组织专家评审", "依法公示期间", "等待第三方机构回复"}; // as a reviewer types them
        std::string reason(pick(m_rng, reasons));
        later([reason](Runner& r, std::string& n, Date) { r.work.suspend(kReviewer, n, reason); }, 1, 3);
    }
    void resume()
    {
        later([](Runner& r, std::string& n, Date) { r.work.resume(kReviewer, n); }, 2, 6);
    }
    void extend()
    {
        static constexpr std::string_view reasons[]
            = {"情况复杂，需进一步核实", "需要现场勘查", "需要多部门联合审查", "申请人申请听证"};
        const TimeLimit extra{between(m_rng, 1, 2) * 5, DayCounting::Working};
        std::string reason(pick(m_rng, reasons));
        later(
            [extra, reason, requestedBy = m_clerk](Runner& r, std::string& n, Date) {
                r.work.extend(kReviewer, n, extra, reason, requestedBy); // 延期 approved by the reviewer
            },
            1, 2);
    }
    void conclude(bool approved, bool atWindow)
    {
        static constexpr std::string_view denials[]
            = {"conditions_not_met", "planning_not_compliant", "qualification_insufficient"};
        std::string reason = approved ? std::string() : std::string(pick(m_rng, denials));
        Act a = [actor = atWindow ? m_clerk : kReviewer, approved, reason](
                    Runner& r, std::string& n, Date) { r.work.conclude(actor, n, approved, reason); };
        atWindow ? now(std::move(a), 3, 15) : later(std::move(a), 1, 2);
    }
    void deliver()
    {
        const DeliveryMethod method = m_spec.request.applicant.delivery;
        later([clerk = m_clerk, method = toString(method)](
                  Runner& r, std::string& n, Date) { r.work.deliver(clerk, n, method); },
            1, 3);
        if (method == DeliveryMethod::PickUpAtWindow)
            document("pickup_slip", "LQ", 80);
        evaluate(method == DeliveryMethod::PickUpAtWindow);
    }
    // 好差评: the applicant rates on the pad facing them or by SMS afterwards; a queue
    // manager records it (a clerk never rates their own service) and follows up bad ones.
    void evaluate(bool atWindow)
    {
        if (!chance(m_rng, atWindow ? 85 : 60))
            return;
        const int level = weighted<int>(m_rng, {{5, 68}, {4, 18}, {3, 7}, {2, 4}, {1, 3}});
        static constexpr std::string_view good[] = {"", "", "办事效率高", "一次就办好了", "窗口人员很耐心"};
        static constexpr std::string_view fair[] = {"服务不错", "等待时间有点长", "指引可以更清楚"};
        static constexpr std::string_view bad[]
            = {"排队时间太长", "材料要求没有一次说清楚", "窗口人员态度不好", "跑了两次才办成"};
        std::string comment(level >= 4 ? pick(m_rng, good)
                : level == 3           ? pick(m_rng, fair)
                                       : pick(m_rng, bad));
        Act a = [level, comment, channel = atWindow ? "pad" : "sms"](Runner& r, std::string& n, Date) {
            r.work.recordEvaluation(kManager, n, level, channel, comment);
        };
        atWindow ? now(std::move(a), 1, 3) : later(std::move(a), 1, 2);
        if (level <= 2) {
            static constexpr std::string_view followUps[] = {"差评回访：已电话联系申请人，说明原因并致歉",
                "差评回访：已约谈窗口人员，整改排队引导", "差评回访：申请人表示理解，问题已解决"};
            std::string text(pick(m_rng, followUps));
            later([text](Runner& r, std::string& n, Date) { r.work.addNote(kManager, n, text); }, 1, 3);
        }
    }
    void maybeAssign()
    {
        if (!chance(m_rng, 12))
            return;
        std::string to = pick(m_rng, kClerks);
        if (to == m_clerk)
            return;
        later([to](Runner& r, std::string& n, Date) { r.work.assign(kManager, n, to, windowOf(to)); }, 1, 2);
        m_clerk = to;
    }
    void maybeNote()
    {
        if (!chance(m_rng, 15))
            return;
        static constexpr std::string_view notes[] = {"已电话告知申请人办理进度", "申请人来电询问领取时间",
            "申请人要求短信通知结果", "已与部门沟通加快办理"};
        std::string text(pick(m_rng, notes));
        now([clerk = m_clerk, text](Runner& r, std::string& n, Date) { r.work.addNote(clerk, n, text); }, 5,
            60);
    }
    void close()
    {
        later([clerk = m_clerk](Runner& r, std::string& n, Date) { r.work.close(clerk, n); }, 1, 5);
    }

    // ---- phases ----

    void consulting()
    {
        if (m_spec.needed.empty() || chance(m_rng, 50)) {
            open(without(m_spec.needed, someOf(m_spec.needed)));
        } else {
            auto missing = someOf(m_spec.needed);
            open(without(m_spec.needed, missing));
            receive(someOf(missing), true, 5, 30);
        }
        maybeNote();
    }

    // Ends in Accepted, by one of the ways a case really gets there.
    void intakeToAccepted()
    {
        enum class Way { Complete, Notice, Deficient, SameVisit };
        Way way = m_spec.needed.empty()
            ? Way::Complete
            : weighted<Way>(
                m_rng, {{Way::Complete, 55}, {Way::Notice, 15}, {Way::Deficient, 15}, {Way::SameVisit, 15}});
        if (way == Way::Complete) {
            open(m_spec.needed);
            accept();
            return;
        }
        auto missing = someOf(m_spec.needed);
        open(without(m_spec.needed, missing));
        if (way == Way::Notice) {
            notice(missing);
            correction(missing, 1, 6); // the second and last visit
            accept();
        } else if (way == Way::Deficient) {
            acceptDeficient(missing);
            receive(missing, false, 1, 4);
        } else {
            receive(missing, true, 5, 25);
            accept();
        }
    }

    void acceptedDeficient()
    {
        if (m_spec.needed.empty()) { // the catalogue leaves nothing to owe
            intakeToAccepted();
            return;
        }
        auto missing = someOf(m_spec.needed);
        open(without(m_spec.needed, missing));
        acceptDeficient(missing);
        maybeNote();
    }

    void awaitingCorrection()
    {
        auto missing = m_spec.needed.empty() ? std::vector<std::string>{} : someOf(m_spec.needed);
        open(without(m_spec.needed, missing));
        notice(missing);
    }

    void refused()
    {
        static constexpr std::string_view reasons[]
            = {"not_within_remit", "applicant_not_eligible", "application_false_materials"};
        static constexpr std::string_view bases[] = {"《中华人民共和国行政许可法》第三十二条第一款第二项",
            "《中华人民共和国行政许可法》第三十二条第一款第一项", "《不动产登记暂行条例》第二十二条"};
        auto missing = someOf(m_spec.needed);
        open(without(m_spec.needed, missing));
        std::string reason(pick(m_rng, reasons));
        std::string basis(pick(m_rng, bases));
        Act a = [clerk = m_clerk, reason, basis](
                    Runner& r, std::string& n, Date) { r.intake.refuse(clerk, n, reason, basis); };
        if (chance(m_rng, 30)) { // notice first; the return visit does not cure it
            notice(missing);
            later(std::move(a), 2, 6);
        } else {
            now(std::move(a), 5, 20);
        }
        document("refusal_notice", "BY", 95);
        evaluate(true);
    }

    void reviewUntilDecision(bool approve)
    {
        route();
        if (chance(m_rng, 20)) {
            suspend();
            resume();
        }
        if (chance(m_rng, 12))
            extend();
        maybeNote();
        completeAll(approve);
    }

    void inReview()
    {
        intakeToAccepted();
        maybeAssign();
        route();
        if (chance(m_rng, 25)) {
            suspend();
            resume();
        }
        if (m_openSteps.size() > 1 && chance(m_rng, 50))
            completeStep(true);
        maybeNote();
    }

    void suspendedCase()
    {
        intakeToAccepted();
        route();
        if (m_openSteps.size() > 1 && chance(m_rng, 40))
            completeStep(true);
        suspend();
        maybeNote();
    }

    void extendedCase()
    {
        intakeToAccepted();
        maybeAssign();
        route();
        if (chance(m_rng, 30)) {
            suspend();
            resume();
        }
        extend();
        if (chance(m_rng, 40))
            completeStep(true);
    }

    void decided(bool approved)
    {
        intakeToAccepted();
        maybeAssign();
        if (m_spec.immediate && chance(m_rng, 60)) {
            conclude(approved, true); // 即办件: decided at the window
            return;
        }
        reviewUntilDecision(approved);
        conclude(approved, false);
    }

    void delivered()
    {
        decided(chance(m_rng, 92));
        deliver();
    }

    void terminated()
    {
        static constexpr std::string_view reasons[]
            = {"applicant_dissolved", "duplicate_application", "applicant_deceased", "matter_cancelled"};
        intakeToAccepted();
        route();
        if (chance(m_rng, 40))
            suspend();
        std::string reason(pick(m_rng, reasons));
        const bool byManager = chance(m_rng, 30);
        later([reason, byManager](Runner& r, std::string& n,
                  Date) { r.work.terminate(byManager ? kManager : kReviewer, n, reason); },
            1, 5);
    }

    void withdrawn()
    {
        static constexpr std::string_view reasons[]
            = {"applicant_request", "transaction_cancelled", "will_apply_online"};
        if (chance(m_rng, 40)) {
            open(without(m_spec.needed, someOf(m_spec.needed)));
        } else {
            intakeToAccepted();
            if (chance(m_rng, 50))
                route();
        }
        std::string reason(pick(m_rng, reasons));
        later(
            [clerk = m_clerk, reason](Runner& r, std::string& n, Date) { r.work.withdraw(clerk, n, reason); },
            1, 4);
    }

    void closed()
    {
        enum class Path { Delivered, Refused, Withdrawn, Terminated };
        switch (weighted<Path>(m_rng,
            {{Path::Delivered, 70}, {Path::Refused, 12}, {Path::Withdrawn, 10}, {Path::Terminated, 8}})) {
        case Path::Delivered:
            delivered();
            break;
        case Path::Refused:
            refused();
            break;
        case Path::Withdrawn:
            withdrawn();
            break;
        case Path::Terminated:
            terminated();
            break;
        }
        close();
    }

    Rng& m_rng;
    CaseSpec m_spec;
    std::string m_clerk; // who works the case at the window now
    std::vector<std::string> m_openSteps;
    std::vector<Beat> m_beats;
};

// Cases still open are recent (a consulting case from last spring would be absurd);
// finished ones are spread over the whole year. Calendar days before the last working day.
int recencyDays(CaseStatus s)
{
    switch (s) {
    case CaseStatus::Consulting:
        return 5;
    case CaseStatus::Accepted:
    case CaseStatus::Approved:
    case CaseStatus::Denied:
        return 10;
    case CaseStatus::AcceptedDeficient:
        return 12;
    case CaseStatus::AwaitingCorrection:
    case CaseStatus::InReview:
        return 20;
    case CaseStatus::Extended:
        return 25;
    case CaseStatus::Suspended:
    case CaseStatus::Delivered:
        return 30;
    default:
        return 366;
    }
}

CaseStatus targetFor(Rng& rng, int index)
{
    const auto& all = allCaseStatuses(); // [0] is None
    if (index < static_cast<int>(all.size()) - 1)
        return all[static_cast<std::size_t>(index) + 1];
    using S = CaseStatus;
    return weighted<S>(rng,
        {{S::Closed, 30}, {S::Delivered, 8}, {S::InReview, 10}, {S::Approved, 4}, {S::Denied, 2},
            {S::Accepted, 5}, {S::AcceptedDeficient, 4}, {S::AwaitingCorrection, 5}, {S::Consulting, 4},
            {S::Refused, 5}, {S::Suspended, 4}, {S::Extended, 4}, {S::Terminated, 3}, {S::Withdrawn, 4}});
}

struct PlannedCase {
    std::vector<Beat> beats;
    std::vector<Moment> moments;
};

PlannedCase planCase(const ServiceContext& ctx, const CatalogueView& view, const DemoSeedOptions& options,
    std::uint64_t caseSeed, int index)
{
    Rng rng(caseSeed);
    const CaseStatus target = targetFor(rng, index);
    const bool wantsMissing
        = target == CaseStatus::AcceptedDeficient || target == CaseStatus::AwaitingCorrection;
    CaseScript script(rng, specFor(rng, ctx, view, options.today, wantsMissing));
    script.build(target);
    PlannedCase p;
    p.beats = script.take();

    const HolidayCalendar& cal = ctx.calendar;
    const Date lastDay = workingDayOnOrBefore(cal, options.today.addDays(-1));
    const Date earliest = workingDayOnOrAfter(cal, options.today.addDays(-365));
    const std::int64_t span = earliest.daysUntil(place(p.beats, earliest, cal).back().day);
    Date lo = earliest.addDays(span);
    const Date hi = lastDay;
    lo = std::max(lo, hi.addDays(-recencyDays(target)));
    if (lo > hi)
        lo = hi;
    const Date desiredEnd = Date::fromDays(between64(rng, lo.days(), hi.days()));
    // Working-day gaps make the span depend on where the case starts: step back until it fits.
    Date open = workingDayOnOrBefore(cal, desiredEnd.addDays(-span));
    for (;;) {
        p.moments = place(p.beats, open, cal);
        const std::int64_t over = desiredEnd.daysUntil(p.moments.back().day);
        if (over <= 0)
            break;
        open = workingDayOnOrBefore(cal, open.addDays(-over));
    }
    return p;
}

} // namespace

std::vector<DemoStaffMember> demoStaff(std::uint64_t seed)
{
    Rng rng(splitMix(seed ^ 0x5354414646ULL));
    static constexpr char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    std::set<std::string> names;
    auto member = [&](std::string id, Role role) {
        std::string name;
        do
            name = personName(rng, chance(rng, 50));
        while (!names.insert(name).second);
        std::string password = id + "-";
        for (int i = 0; i < 6; ++i)
            password += alphabet[rng() % (sizeof alphabet - 1)];
        return DemoStaffMember{std::move(id), std::move(name), role, std::move(password)};
    };
    std::vector<DemoStaffMember> staff;
    for (const auto& clerk : kClerks)
        staff.push_back(member(clerk, Role::WindowStaff));
    staff.push_back(member(kReviewer, Role::Reviewer));
    staff.push_back(member(kManager, Role::QueueManager));
    staff.push_back(member("admin", Role::Administrator));
    return staff;
}

Applicant syntheticApplicant(std::mt19937_64& rng, Date today)
{
    Applicant a;
    if (chance(rng, 15))
        enterpriseApplicant(rng, today, a);
    else
        personApplicant(rng, today, a);
    const int delivery = between(rng, 1, 100);
    if (delivery <= 20) {
        a.delivery = DeliveryMethod::Post; // free postal delivery
        a.postalAddress = postalAddress(rng);
    } else if (delivery <= 30) {
        a.delivery = DeliveryMethod::ELicence;
    }
    return a;
}

DemoSeedResult seedDemoCases(ServiceContext& ctx, const DemoSeedOptions& options,
    const std::function<void(Date, std::int64_t)>& moveTo)
{
    DemoSeedResult result;
    const CatalogueView view = viewOf(ctx.catalogue);
    if (options.cases <= 0 || view.personMatters.empty())
        return result;
    std::vector<std::string> needed = kClerks;
    needed.insert(needed.end(), {kReviewer, kManager});
    for (const auto& id : needed)
        if (!ctx.staff.findStaff(id))
            throw DomainError("demo.staff_missing", {{"actor", id}});

    const auto count = static_cast<std::size_t>(options.cases);
    std::vector<PlannedCase> plans;
    plans.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        plans.push_back(
            planCase(ctx, view, options, splitMix(options.seed * 0x100000001B3ULL + i), static_cast<int>(i)));

    struct Slot {
        std::int64_t ms;
        std::size_t caseIndex;
        std::size_t beat;
    };
    std::vector<Slot> slots;
    for (std::size_t c = 0; c < count; ++c)
        for (std::size_t b = 0; b < plans[c].beats.size(); ++b)
            slots.push_back({wallMs(plans[c].moments[b], plans[c].beats[b].jitterMs), c, b});
    std::sort(slots.begin(), slots.end(), [](const Slot& x, const Slot& y) {
        return std::tie(x.ms, x.caseIndex, x.beat) < std::tie(y.ms, y.caseIndex, y.beat);
    });

    Runner runner{IntakeService(ctx), CaseWorkService(ctx), ctx.calendar};
    std::vector<std::string> numbers(count);
    for (const auto& slot : slots) {
        const Date day = plans[slot.caseIndex].moments[slot.beat].day;
        if (moveTo)
            moveTo(day, slot.ms);
        plans[slot.caseIndex].beats[slot.beat].act(runner, numbers[slot.caseIndex], day);
    }

    for (const auto& number : numbers) {
        auto state = ctx.store.findCase(number);
        if (!state)
            continue;
        ++result.cases;
        ++result.byStatus[state->status];
    }
    return result;
}

} // namespace ow::model
