// The person or enterprise a case is for, possibly represented by an agent (经办人/代办人).
#pragma once

#include "model/Date.h"
#include "model/Error.h"
#include "model/Identity.h"
#include "model/Json.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::model {

enum class ApplicantType { Person, Enterprise };

// Stable names: "person", "enterprise".
std::string toString(ApplicantType type);
std::optional<ApplicantType> applicantTypeFromString(std::string_view name);

// How the result reaches the applicant; postal delivery is free but needs an address.
enum class DeliveryMethod { PickUpAtWindow, Post, ELicence };

// Stable names: "window", "post", "e_licence".
std::string toString(DeliveryMethod method);
std::optional<DeliveryMethod> deliveryMethodFromString(std::string_view name);

struct Agent {
    std::string name;
    IdKind idKind = IdKind::ResidentId;
    std::string idNumber;
    std::string phone;
    std::string authorisation; // reference of the power of attorney (授权委托书)
};

struct Applicant {
    ApplicantType type = ApplicantType::Person;
    std::string name;
    IdKind idKind = IdKind::ResidentId;
    std::string idNumber;
    std::string phone;
    std::optional<Agent> agent;
    bool assisted = false; // 帮办代办: staff fill in and follow up for the applicant
    DeliveryMethod delivery = DeliveryMethod::PickUpAtWindow;
    std::string postalAddress;
    std::string legalRepresentative; // enterprises only
};

struct FieldProblem {
    std::string field; // "name", "idNumber", "agent.idNumber", ...
    std::string code; // "applicant.name_empty", "id.check_digit", ...
    Facts facts;
};

// Every problem, in field order, so the form can mark all of them at once.
std::vector<FieldProblem> validate(const Applicant& applicant, Date today);

// From the ID number where its kind carries one and the number checks out.
std::optional<Date> birthDate(const Applicant& applicant);
// Whole years on `on`; nullopt without a birth date or before birth.
std::optional<int> age(const Applicant& applicant, Date on);
// Elderly applicants get priority at the queue; the threshold is configurable per centre.
bool isElderly(const Applicant& applicant, Date on, int threshold = 60);

// What the screen shows instead of the full numbers.
std::string displayId(const Applicant& applicant);
std::string displayPhone(const Applicant& applicant);

// The applicant as stored in a case.opened body. Reading is lenient (unknown or missing
// values take defaults) because a fold must never fail; services validate before writing.
Json toJson(const Applicant& applicant);
// The same as canonical text, written into `out` (a case state's member).
void writeApplicant(JsonTextWriter& out, const Applicant& applicant);
Applicant applicantFromJson(const Json& json);

} // namespace ow::model
