#include "model/Applicant.h"

namespace ow::model {

namespace {

IdKind kindOr(const Json& j, const std::string& key, IdKind def)
{
    return idKindFromString(j.getString(key)).value_or(def);
}

} // namespace

Json toJson(const Applicant& a)
{
    Json j = Json::object();
    j["type"] = toString(a.type);
    j["name"] = a.name;
    j["idKind"] = toString(a.idKind);
    j["idNumber"] = a.idNumber;
    j["phone"] = a.phone;
    j["assisted"] = a.assisted;
    j["delivery"] = toString(a.delivery);
    j["postalAddress"] = a.postalAddress;
    j["legalRepresentative"] = a.legalRepresentative;
    if (a.agent) {
        Json g = Json::object();
        g["name"] = a.agent->name;
        g["idKind"] = toString(a.agent->idKind);
        g["idNumber"] = a.agent->idNumber;
        g["phone"] = a.agent->phone;
        g["authorisation"] = a.agent->authorisation;
        j["agent"] = g;
    } else {
        j["agent"] = Json();
    }
    return j;
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
