#include "model/Applicant.h"

namespace ow::model {

namespace {

IdKind kindOr(const Json& j, const std::string& key, IdKind def)
{
    return idKindFromString(j.getString(key)).value_or(def);
}

} // namespace

void writeApplicant(JsonTextWriter& w, const Applicant& a)
{
    w.beginObject().key("agent");
    if (a.agent) {
        const Agent& g = *a.agent;
        w.beginObject()
            .member("authorisation", g.authorisation)
            .member("idKind", toString(g.idKind))
            .member("idNumber", g.idNumber)
            .member("name", g.name)
            .member("phone", g.phone)
            .endObject();
    } else {
        w.null();
    }
    w.member("assisted", a.assisted)
        .member("delivery", toString(a.delivery))
        .member("idKind", toString(a.idKind))
        .member("idNumber", a.idNumber)
        .member("legalRepresentative", a.legalRepresentative)
        .member("name", a.name)
        .member("phone", a.phone)
        .member("postalAddress", a.postalAddress)
        .member("type", toString(a.type))
        .endObject();
}

Json toJson(const Applicant& a)
{
    JsonTextWriter w;
    writeApplicant(w, a);
    return Json::parse(w.take());
}

Applicant applicantFromJson(const Json& j)
{
    Applicant a;
    if (!j.isObject())
        return a;
    a.type = applicantTypeFromString(j.getString("type")).value_or(ApplicantType::Person);
    a.name = j.getString("name");
    a.idKind = kindOr(j, "idKind", IdKind::ResidentId);
    a.idNumber = j.getString("idNumber");
    a.phone = j.getString("phone");
    a.assisted = j.getBool("assisted", false);
    a.delivery = deliveryMethodFromString(j.getString("delivery")).value_or(DeliveryMethod::PickUpAtWindow);
    a.postalAddress = j.getString("postalAddress");
    a.legalRepresentative = j.getString("legalRepresentative");
    if (const Json* g = j.get("agent"); g && g->isObject()) {
        Agent agent;
        agent.name = g->getString("name");
        agent.idKind = kindOr(*g, "idKind", IdKind::ResidentId);
        agent.idNumber = g->getString("idNumber");
        agent.phone = g->getString("phone");
        agent.authorisation = g->getString("authorisation");
        a.agent = agent;
    }
    return a;
}

} // namespace ow::model
