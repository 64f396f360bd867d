#include "IntakeForm.h"

#include "model/Identity.h"

#include <algorithm>
#include <map>
#include <utility>

namespace ow::gui {

namespace {

bool blank(const std::string& s)
{
    return std::all_of(
        s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
}

std::string trimmed(const std::string& s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
        return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// The kind a number typed so far is heading for, when it already checks out as one. A
// passport number is free text that anything passes, so it is never guessed.
std::optional<model::IdKind> completedKind(const std::string& number)
{
    auto guess = model::guessIdKind(number);
    if (guess && *guess != model::IdKind::Passport && model::checkId(*guess, number).ok)
        return guess;
    return std::nullopt;
}

// A problem that only says the clerk has not finished typing: shown as a count while
// the field has the focus, not as an error.
bool stillTyping(const model::FieldProblem& p, const std::string& value, FieldState& state)
{
    if (p.code == "id.length") {
        const auto actual = p.facts.find("actual");
        const auto expected = p.facts.find("expected");
        if (actual == p.facts.end() || expected == p.facts.end())
            return false;
        if (std::stoi(actual->second) >= std::stoi(expected->second))
            return false;
        state.typed = actual->second;
        state.expected = expected->second;
        return true;
    }
    if (p.code == "applicant.phone") {
        const std::string v = trimmed(value);
        const bool digits
            = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (!digits || v.front() != '1' || v.size() >= 11)
            return false;
        state.typed = std::to_string(v.size());
        state.expected = "11";
        return true;
    }
    return p.code == "applicant.name_empty" || p.code == "id.empty";
}

// Stable names of the decisions in a draft.
const std::pair<Decision, const char*> kDecisionNames[] = {
    {Decision::Accept, "accept"},
    {Decision::AcceptDeficient, "accept_deficient"},
    {Decision::Notice, "notice"},
    {Decision::Refuse, "refuse"},
};

std::string toString(Decision decision)
{
    for (const auto& [d, name] : kDecisionNames)
        if (d == decision)
            return name;
    return {};
}

model::Json strings(const std::vector<std::string>& values)
{
    model::Json out = model::Json::array();
    for (const auto& v : values)
        out.push_back(v);
    return out;
}

model::Json strings(const std::set<std::string>& values)
{
    return strings(std::vector<std::string>(values.begin(), values.end()));
}

[[noreturn]] void draftInvalid(const std::string& field, const std::string& reason, model::Facts facts = {})
{
    facts["field"] = field;
    facts["reason"] = reason;
    throw model::DomainError("intake.draft_invalid", std::move(facts));
}

// Reads one object of a draft: a missing or null member takes the default, a member of
// another type is refused naming it ("applicant.name", "matters[2]"). Values are never
// put into the facts: a draft carries identity numbers.
class DraftReader {
public:
    DraftReader(const model::Json* object, std::string path)
        : m_object(object)
        , m_path(std::move(path))
    {
    }

    std::string path(const std::string& key) const { return m_path.empty() ? key : m_path + "." + key; }

    const model::Json* member(const std::string& key, model::JsonType expected) const
    {
        if (!m_object)
            return nullptr;
        const model::Json* value = m_object->get(key);
        if (!value || value->isNull())
            return nullptr;
        if (value->type() != expected)
            wrongType(path(key), expected, *value);
        return value;
    }

    std::string string(const std::string& key, std::string def = {}) const
    {
        const auto* v = member(key, model::JsonType::String);
        return v ? v->asString() : def;
    }

    bool flag(const std::string& key, bool def = false) const
    {
        const auto* v = member(key, model::JsonType::Bool);
        return v ? v->asBool() : def;
    }

    std::vector<std::string> strings(const std::string& key) const
    {
        std::vector<std::string> out;
        const auto* v = member(key, model::JsonType::Array);
        if (!v)
            return out;
        for (const auto& item : v->asArray()) {
            const std::string at = path(key) + "[" + std::to_string(out.size()) + "]";
            if (!item.isString())
                wrongType(at, model::JsonType::String, item);
            if (std::find(out.begin(), out.end(), item.asString()) != out.end())
                draftInvalid(at, "duplicate");
            out.push_back(item.asString());
        }
        return out;
    }

    DraftReader object(const std::string& key) const
    {
        return DraftReader(member(key, model::JsonType::Object), path(key));
    }

    // A stable name read back through `parse`; an unknown one is refused.
    template<class T, class Parse> T named(const std::string& key, T def, Parse parse) const
    {
        const auto* v = member(key, model::JsonType::String);
        if (!v)
            return def;
        const std::optional<T> value = parse(v->asString());
        if (!value)
            draftInvalid(path(key), "unknown_value");
        return *value;
    }

private:
    [[noreturn]] static void wrongType(
        const std::string& field, model::JsonType expected, const model::Json& v)
    {
        draftInvalid(field, "wrong_type",
            {{"expected", std::string(model::jsonTypeName(expected))},
                {"actual", std::string(model::jsonTypeName(v.type()))}});
    }

    const model::Json* m_object;
    std::string m_path;
};

} // namespace

void IntakeForm::setToday(model::Date today)
{
    m_today = today;
    revalidate();
}

void IntakeForm::setUser(model::Staff user)
{
    m_user = std::move(user);
}

model::Applicant IntakeForm::applicant() const
{
    model::Applicant a = m_applicant;
    if (m_agentOn)
        a.agent = m_agent;
    if (a.type != model::ApplicantType::Enterprise)
        a.legalRepresentative.clear();
    return a;
}

void IntakeForm::revalidate()
{
    m_problems = model::validate(applicant(), m_today);
}

void IntakeForm::setType(model::ApplicantType type)
{
    m_applicant.type = type;
    m_typeChosen = true;
    // A person's kind of ID does not fit an enterprise and the other way round.
    if (type == model::ApplicantType::Enterprise && model::isPersonalIdKind(m_applicant.idKind) && !m_idHeld
        && m_applicant.idNumber.empty())
        m_applicant.idKind = model::IdKind::UnifiedSocialCreditCode;
    if (type == model::ApplicantType::Person && !model::isPersonalIdKind(m_applicant.idKind) && !m_idHeld
        && m_applicant.idNumber.empty())
        m_applicant.idKind = model::IdKind::ResidentId;
    revalidate();
}

void IntakeForm::setName(std::string name)
{
    m_applicant.name = std::move(name);
    revalidate();
}

void IntakeForm::setIdKind(model::IdKind kind)
{
    m_applicant.idKind = kind;
    m_kindChosen = true;
    if (!m_typeChosen)
        m_applicant.type
            = model::isPersonalIdKind(kind) ? model::ApplicantType::Person : model::ApplicantType::Enterprise;
    revalidate();
}

void IntakeForm::setIdNumber(std::string number)
{
    m_idHeld = false;
    m_applicant.idNumber = std::move(number);
    if (!m_kindChosen)
        if (auto kind = completedKind(m_applicant.idNumber)) {
            m_applicant.idKind = *kind;
            if (!m_typeChosen)
                m_applicant.type = model::isPersonalIdKind(*kind) ? model::ApplicantType::Person
                                                                  : model::ApplicantType::Enterprise;
        }
    revalidate();
}

void IntakeForm::setPhone(std::string phone)
{
    m_phoneHeld = false;
    m_applicant.phone = std::move(phone);
    revalidate();
}

void IntakeForm::setAddress(std::string address)
{
    m_applicant.postalAddress = std::move(address);
    revalidate();
}

void IntakeForm::setLegalRepresentative(std::string name)
{
    m_applicant.legalRepresentative = std::move(name);
    revalidate();
}

void IntakeForm::setAgentOn(bool on)
{
    m_agentOn = on;
    revalidate();
}

void IntakeForm::setAgentName(std::string name)
{
    m_agent.name = std::move(name);
    revalidate();
}

void IntakeForm::setAgentIdKind(model::IdKind kind)
{
    m_agent.idKind = kind;
    revalidate();
}

void IntakeForm::setAgentIdNumber(std::string number)
{
    m_agent.idNumber = std::move(number);
    if (auto kind = completedKind(m_agent.idNumber); kind && model::isPersonalIdKind(*kind))
        m_agent.idKind = *kind;
    revalidate();
}

void IntakeForm::setAgentPhone(std::string phone)
{
    m_agent.phone = std::move(phone);
    revalidate();
}

void IntakeForm::setAgentAuthorisation(std::string reference)
{
    m_agent.authorisation = std::move(reference);
    revalidate();
}

void IntakeForm::setAssisted(bool assisted)
{
    m_applicant.assisted = assisted;
}

void IntakeForm::setDelivery(model::DeliveryMethod method)
{
    m_applicant.delivery = method;
    revalidate();
}

void IntakeForm::takeApplicant(const model::Applicant& a)
{
    m_applicant.type = a.type;
    m_applicant.name = a.name;
    m_applicant.idKind = a.idKind;
    m_applicant.idNumber = a.idNumber;
    m_applicant.phone = a.phone;
    m_applicant.postalAddress = a.postalAddress;
    m_applicant.legalRepresentative = a.legalRepresentative;
    m_idHeld = !a.idNumber.empty();
    m_phoneHeld = !a.phone.empty();
    m_kindChosen = true;
    m_typeChosen = true;
    revalidate();
}

void IntakeForm::clearApplicant()
{
    m_applicant = model::Applicant{};
    m_agent = model::Agent{};
    m_agentOn = false;
    m_idHeld = m_phoneHeld = m_kindChosen = m_typeChosen = false;
    m_touched.clear();
    m_showAll = false;
    revalidate();
}

std::string IntakeForm::idText() const
{
    return m_idHeld ? model::displayId(m_applicant) : m_applicant.idNumber;
}

std::string IntakeForm::phoneText() const
{
    return m_phoneHeld ? model::displayPhone(m_applicant) : m_applicant.phone;
}

FieldState IntakeForm::field(const std::string& name, bool focused) const
{
    std::string value;
    bool marksOk = true; // a valid value earns a check mark
    if (name == "name")
        value = m_applicant.name;
    else if (name == "idNumber")
        value = m_applicant.idNumber;
    else if (name == "idKind") {
        value = m_applicant.idNumber;
        marksOk = false;
    } else if (name == "phone")
        value = m_applicant.phone;
    else if (name == "postalAddress") {
        value = m_applicant.postalAddress;
        marksOk = false;
    } else if (name == "legalRepresentative")
        value = m_applicant.legalRepresentative;
    else if (name == "agent.name")
        value = m_agent.name;
    else if (name == "agent.idKind") {
        value = m_agent.idNumber;
        marksOk = false;
    } else if (name == "agent.idNumber")
        value = m_agent.idNumber;
    else if (name == "agent.phone")
        value = m_agent.phone;
    else if (name == "agent.authorisation")
        value = m_agent.authorisation;

    FieldState state;
    auto it = std::find_if(
        m_problems.begin(), m_problems.end(), [&](const model::FieldProblem& p) { return p.field == name; });
    if (it == m_problems.end()) {
        state.mark = marksOk && !blank(value) ? Mark::Ok : Mark::None;
        return state;
    }
    const bool visible = m_showAll || m_touched.count(name) > 0 || !blank(value);
    if (!visible)
        return state;
    if (focused && !m_showAll && stillTyping(*it, value, state)) {
        state.mark = state.typed.empty() ? Mark::None : Mark::Typing;
        return state;
    }
    // A number heading for another kind (a credit code typed while the kind is still
    // the default): counted while typed, judged once complete.
    if (focused && name == "idNumber" && !m_kindChosen && it->code != "id.length") {
        if (auto guess = model::guessIdKind(value);
            guess && *guess != m_applicant.idKind && *guess != model::IdKind::Passport) {
            model::FieldProblem other{
                name, model::checkId(*guess, value).code, model::checkId(*guess, value).facts};
            if (stillTyping(other, value, state)) {
                state.mark = Mark::Typing;
                return state;
            }
        }
    }
    state.mark = Mark::Problem;
    state.problem = *it;
    return state;
}

bool IntakeForm::elderly() const
{
    return model::isElderly(m_applicant, m_today);
}

void IntakeForm::chooseBundle(const std::string& code)
{
    if (code == m_bundle)
        return;
    std::vector<std::string> bundleCodes;
    if (!code.empty())
        for (const auto* m : m_catalogue.bundleMatters(code)) // throws on an unknown bundle
            bundleCodes.push_back(m->code);
    std::vector<std::string> previous;
    if (!m_bundle.empty())
        for (const auto* m : m_catalogue.bundleMatters(m_bundle))
            previous.push_back(m->code);
    std::vector<std::string> kept;
    for (const auto& c : m_matters)
        if (std::find(previous.begin(), previous.end(), c) == previous.end()
            && std::find(bundleCodes.begin(), bundleCodes.end(), c) == bundleCodes.end())
            kept.push_back(c);
    m_bundle = code;
    m_matters = bundleCodes;
    m_matters.insert(m_matters.end(), kept.begin(), kept.end());
}

void IntakeForm::setMatter(const std::string& code, bool on)
{
    const auto it = std::find(m_matters.begin(), m_matters.end(), code);
    if (on) {
        if (it == m_matters.end() && m_catalogue.findMatter(code))
            m_matters.push_back(code);
        return;
    }
    if (it == m_matters.end())
        return;
    m_matters.erase(it);
    if (!m_bundle.empty()) {
        const auto& codes = m_catalogue.findBundle(m_bundle)->matterCodes;
        if (std::find(codes.begin(), codes.end(), code) != codes.end())
            m_bundle.clear();
    }
}

bool IntakeForm::hasMatter(const std::string& code) const
{
    return std::find(m_matters.begin(), m_matters.end(), code) != m_matters.end();
}

bool IntakeForm::setChecklist(
    std::vector<model::MergedMaterial> checklist, const std::vector<std::string>& forMatters)
{
    if (forMatters != m_matters)
        return false;
    std::set<std::string> received;
    for (const auto& m : checklist) {
        const std::string& code = m.material.code;
        if (m_seen.count(code) ? m_received.count(code) > 0 : m.material.dataShared)
            received.insert(code);
        m_seen.insert(code);
    }
    m_received = std::move(received);
    m_checklist = std::move(checklist);
    m_checklistFor = forMatters;
    return true;
}

void IntakeForm::setReceived(const std::string& code, bool received)
{
    if (received)
        m_received.insert(code);
    else
        m_received.erase(code);
}

std::vector<std::string> IntakeForm::missingMandatory() const
{
    std::vector<std::string> out;
    for (const auto& m : m_checklist)
        if (m.material.mandatory && !m.material.dataShared && !received(m.material.code))
            out.push_back(m.material.code);
    return out;
}

const model::MergedMaterial* IntakeForm::material(const std::string& code) const
{
    for (const auto& m : m_checklist)
        if (m.material.code == code)
            return &m;
    return nullptr;
}

Availability IntakeForm::availability(Decision decision) const
{
    static const std::map<Decision, model::Action> actions = {
        {Decision::Accept, model::Action::Accept},
        {Decision::AcceptDeficient, model::Action::AcceptDeficient},
        {Decision::Notice, model::Action::IssueNotice},
        {Decision::Refuse, model::Action::Refuse},
    };
    Availability a;
    if (!m_user.can(model::Action::OpenCase) || !m_user.can(actions.at(decision))) {
        a.allowed = false;
        a.why = Blocker::NotPermitted;
        return a;
    }
    const auto missing = missingMandatory();
    switch (decision) {
    case Decision::Accept:
        if (!missing.empty()) {
            a.allowed = false;
            a.why = Blocker::MaterialsMissing;
            a.materials = missing;
        }
        break;
    case Decision::AcceptDeficient:
        if (missing.empty()) {
            a.allowed = false;
            a.why = Blocker::NothingMissing;
        }
        break;
    case Decision::Notice: // may also list other requirements: what it lists is checked at the end
    case Decision::Refuse:
        break;
    }
    return a;
}

void IntakeForm::choose(Decision decision)
{
    m_decision = decision;
    m_decisionChosen = true;
}

Decision IntakeForm::decision() const
{
    if (m_decisionChosen && availability(m_decision).allowed)
        return m_decision;
    for (auto d : {Decision::Accept, Decision::Notice, Decision::AcceptDeficient, Decision::Refuse})
        if (availability(d).allowed)
            return d;
    return m_decision;
}

void IntakeForm::setRefusal(std::string reason, std::string legalBasis)
{
    m_reason = std::move(reason);
    m_legalBasis = std::move(legalBasis);
}

std::vector<Blocker> IntakeForm::blockers() const
{
    std::vector<Blocker> out;
    if (!m_problems.empty())
        out.push_back(Blocker::ApplicantInvalid);
    if (m_matters.empty())
        out.push_back(Blocker::NoMatters);
    else if (!checklistCurrent())
        out.push_back(Blocker::ChecklistPending);
    const Decision d = decision();
    if (auto a = availability(d); !a.allowed)
        out.push_back(a.why);
    switch (d) {
    case Decision::AcceptDeficient:
        if (!m_committed)
            out.push_back(Blocker::CommitmentMissing);
        if (m_commitmentDue <= m_today)
            out.push_back(Blocker::CommitmentNotInFuture);
        break;
    case Decision::Refuse:
        if (blank(m_reason))
            out.push_back(Blocker::ReasonMissing);
        if (blank(m_legalBasis))
            out.push_back(Blocker::LegalBasisMissing);
        break;
    case Decision::Notice:
        if (plan().items.empty())
            out.push_back(Blocker::NothingMissing);
        break;
    case Decision::Accept:
        break;
    }
    return out;
}

model::IntakeRequest IntakeForm::request(const std::string& window) const
{
    model::IntakeRequest r;
    r.applicant = applicant();
    r.matterCodes = m_matters;
    r.bundleCode = m_bundle;
    for (const auto& m : m_checklist)
        if (received(m.material.code))
            r.receivedMaterials.push_back(m.material.code);
    r.window = window;
    return r;
}

DecisionPlan IntakeForm::plan() const
{
    DecisionPlan p;
    p.decision = decision();
    switch (p.decision) {
    case Decision::Accept:
        break;
    case Decision::AcceptDeficient:
        p.missing = missingMandatory();
        p.commitmentDue = m_commitmentDue;
        break;
    case Decision::Notice: {
        p.items = missingMandatory();
        std::size_t start = 0;
        while (start <= m_noticeExtra.size()) {
            auto end = m_noticeExtra.find('\n', start);
            if (end == std::string::npos)
                end = m_noticeExtra.size();
            if (auto line = trimmed(m_noticeExtra.substr(start, end - start)); !line.empty())
                p.items.push_back(line);
            start = end + 1;
        }
        break;
    }
    case Decision::Refuse:
        p.reason = trimmed(m_reason);
        p.legalBasis = trimmed(m_legalBasis);
        break;
    }
    return p;
}

bool IntakeForm::started() const
{
    const model::Applicant& a = m_applicant;
    return !blank(a.name) || !blank(a.idNumber) || !blank(a.phone) || !blank(a.postalAddress) || m_agentOn
        || !m_matters.empty();
}

model::Json IntakeForm::draft() const
{
    model::Json d = model::Json::object();
    d["version"] = kDraftVersion;

    const model::Applicant& a = m_applicant;
    model::Json& applicant = d["applicant"];
    applicant["type"] = model::toString(a.type);
    applicant["name"] = a.name;
    applicant["idKind"] = model::toString(a.idKind);
    applicant["idNumber"] = a.idNumber;
    applicant["idHeld"] = m_idHeld;
    applicant["phone"] = a.phone;
    applicant["phoneHeld"] = m_phoneHeld;
    applicant["postalAddress"] = a.postalAddress;
    applicant["legalRepresentative"] = a.legalRepresentative;
    applicant["assisted"] = a.assisted;
    applicant["delivery"] = model::toString(a.delivery);
    applicant["kindChosen"] = m_kindChosen;
    applicant["typeChosen"] = m_typeChosen;

    model::Json& agent = d["agent"];
    agent["on"] = m_agentOn;
    agent["name"] = m_agent.name;
    agent["idKind"] = model::toString(m_agent.idKind);
    agent["idNumber"] = m_agent.idNumber;
    agent["phone"] = m_agent.phone;
    agent["authorisation"] = m_agent.authorisation;

    d["bundle"] = m_bundle;
    d["matters"] = strings(m_matters);
    d["materials"]["received"] = strings(m_received);
    d["materials"]["listed"] = strings(m_seen);

    model::Json& decision = d["decision"];
    decision["chosen"] = m_decisionChosen ? model::Json(toString(m_decision)) : model::Json();
    decision["committed"] = m_committed;
    decision["commitmentDue"] = m_commitmentDue.iso();
    decision["noticeExtra"] = m_noticeExtra;
    decision["refusalReason"] = m_reason;
    decision["legalBasis"] = m_legalBasis;
    return d;
}

void IntakeForm::restore(const model::Json& draft)
{
    if (!draft.isObject())
        draftInvalid("draft", draft.isNull() ? "missing" : "wrong_type");
    const DraftReader top(&draft, "");
    const auto* version = top.member("version", model::JsonType::Int);
    if (!version)
        draftInvalid("version", "missing");
    if (version->asInt() != kDraftVersion)
        draftInvalid("version", "unknown_version", {{"version", std::to_string(version->asInt())}});

    // Into a copy, swapped in once everything has been read: a refused draft changes nothing.
    // The catalogue, today, the user and the commitment date the tab proposed stay.
    IntakeForm next = *this;
    next.m_applicant = model::Applicant{};
    next.m_agent = model::Agent{};
    next.m_agentOn = next.m_idHeld = next.m_phoneHeld = next.m_kindChosen = next.m_typeChosen = false;
    next.m_touched.clear();
    next.m_showAll = false;
    next.m_bundle.clear();
    next.m_matters.clear();
    next.m_checklist.clear(); // the checklist of the restored matters is asked for again
    next.m_checklistFor.clear();
    next.m_received.clear();
    next.m_seen.clear();
    next.m_decision = Decision::Accept;
    next.m_decisionChosen = next.m_committed = false;
    next.m_noticeExtra.clear();
    next.m_reason.clear();
    next.m_legalBasis.clear();

    const DraftReader applicant = top.object("applicant");
    model::Applicant& a = next.m_applicant;
    a.type = applicant.named(
        "type", a.type, [](const std::string& s) { return model::applicantTypeFromString(s); });
    a.name = applicant.string("name");
    a.idKind = applicant.named(
        "idKind", a.idKind, [](const std::string& s) { return model::idKindFromString(s); });
    a.idNumber = applicant.string("idNumber");
    next.m_idHeld = applicant.flag("idHeld") && !a.idNumber.empty();
    a.phone = applicant.string("phone");
    next.m_phoneHeld = applicant.flag("phoneHeld") && !a.phone.empty();
    a.postalAddress = applicant.string("postalAddress");
    a.legalRepresentative = applicant.string("legalRepresentative");
    a.assisted = applicant.flag("assisted");
    a.delivery = applicant.named(
        "delivery", a.delivery, [](const std::string& s) { return model::deliveryMethodFromString(s); });
    next.m_kindChosen = applicant.flag("kindChosen");
    next.m_typeChosen = applicant.flag("typeChosen");

    const DraftReader agent = top.object("agent");
    next.m_agentOn = agent.flag("on");
    next.m_agent.name = agent.string("name");
    next.m_agent.idKind = agent.named(
        "idKind", next.m_agent.idKind, [](const std::string& s) { return model::idKindFromString(s); });
    next.m_agent.idNumber = agent.string("idNumber");
    next.m_agent.phone = agent.string("phone");
    next.m_agent.authorisation = agent.string("authorisation");

    next.m_bundle = top.string("bundle");
    if (!next.m_bundle.empty() && !m_catalogue.findBundle(next.m_bundle))
        draftInvalid("bundle", "unknown_bundle", {{"code", next.m_bundle}});
    next.m_matters = top.strings("matters");
    for (std::size_t i = 0; i < next.m_matters.size(); ++i)
        if (!m_catalogue.findMatter(next.m_matters[i]))
            draftInvalid(
                "matters[" + std::to_string(i) + "]", "unknown_matter", {{"code", next.m_matters[i]}});

    // The ticks wait for the checklist: setChecklist keeps those of the materials listed
    // before and ticks the data-shared ones it lists for the first time.
    const DraftReader materials = top.object("materials");
    for (auto& code : materials.strings("received"))
        next.m_received.insert(std::move(code));
    for (auto& code : materials.strings("listed"))
        next.m_seen.insert(std::move(code));

    const DraftReader decision = top.object("decision");
    if (const auto* chosen = decision.member("chosen", model::JsonType::String)) {
        const auto it = std::find_if(std::begin(kDecisionNames), std::end(kDecisionNames),
            [&](const auto& d) { return chosen->asString() == d.second; });
        if (it == std::end(kDecisionNames))
            draftInvalid("decision.chosen", "unknown_value");
        next.m_decision = it->first;
        next.m_decisionChosen = true;
    }
    next.m_committed = decision.flag("committed");
    if (const auto* due = decision.member("commitmentDue", model::JsonType::String)) {
        const auto date = model::Date::fromIso(due->asString());
        if (!date)
            draftInvalid("decision.commitmentDue", "bad_date");
        next.m_commitmentDue = *date;
    }
    next.m_noticeExtra = decision.string("noticeExtra");
    next.m_reason = decision.string("refusalReason");
    next.m_legalBasis = decision.string("legalBasis");

    next.revalidate();
    *this = std::move(next);
}

IntakeOutcome carryOut(model::IntakeService& intake, const std::string& actor,
    const model::IntakeRequest& request, const DecisionPlan& plan, const model::CaseState* opened)
{
    IntakeOutcome out;
    try {
        model::CaseState state;
        if (opened) {
            state = *opened;
            std::vector<std::string> newly;
            for (const auto& code : request.receivedMaterials)
                if (const auto* m = state.material(code); m && !m->received)
                    newly.push_back(code);
            if (!newly.empty())
                state = intake.receiveMaterials(actor, state.number, newly);
        } else {
            state = intake.open(actor, request);
        }
        out.opened = state;
        switch (plan.decision) {
        case Decision::Accept:
            state = intake.accept(actor, state.number);
            break;
        case Decision::AcceptDeficient:
            state = intake.acceptWithDeficiencies(actor, state.number, plan.missing, plan.commitmentDue);
            break;
        case Decision::Notice:
            state = intake.issueNotice(actor, state.number, plan.items);
            break;
        case Decision::Refuse:
            state = intake.refuse(actor, state.number, plan.reason, plan.legalBasis);
            break;
        }
        out.decided = std::move(state);
    } catch (const model::ValidationError& e) {
        out.problems = e.problems();
        out.error = std::current_exception();
    } catch (const std::exception&) {
        out.error = std::current_exception();
    }
    return out;
}

std::string surnameOf(const std::string& name)
{
    const std::string n = trimmed(name);
    if (n.empty())
        return {};
    const bool ascii
        = std::all_of(n.begin(), n.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (ascii)
        return n.substr(0, n.find(' '));
    // One UTF-8 code point: the lead byte says how long it is.
    auto codePoint = [&n](std::size_t at) {
        const auto lead = static_cast<unsigned char>(n[at]);
        const std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return std::min(length, n.size() - at);
    };
    const std::size_t first = codePoint(0);
    // Two-character surnames (复姓) of names with at least one more character.
    static const char* const compound[] = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙",
        "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "南宫", "西门", "独孤", "澹台"};
    if (first < n.size()) {
        const std::size_t two = first + codePoint(first);
        if (two < n.size())
            for (const char* c : compound)
                if (n.compare(0, two, c) == 0)
                    return n.substr(0, two);
    }
    return n.substr(0, first);
}

} // namespace ow::gui
