#include "client/core/IdCardReader.h"

#include "model/Error.h"
#include "model/Json.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace ow::client {

namespace {

[[noreturn]] void unreadable(const std::string& reason)
{
    throw model::DomainError("idcard.unreadable", {{"reason", reason}});
}

model::Applicant fromCard(const model::Json& card)
{
    if (!card.isObject())
        unreadable("not_an_object");
    model::Applicant a;
    try {
        a.name = card.getString("name");
        a.idNumber = card.getString("idNumber");
        a.postalAddress = card.getString("address");
        a.phone = card.getString("phone");
        const std::string kind = card.getString("idKind");
        if (!kind.empty()) {
            auto k = model::idKindFromString(kind);
            if (!k)
                unreadable("id_kind");
            a.idKind = *k;
        } else if (auto guess = model::guessIdKind(a.idNumber)) {
            a.idKind = *guess;
        }
    } catch (const model::DomainError& e) {
        if (e.code() == "idcard.unreadable")
            throw;
        unreadable("field_type");
    }
    if (a.name.empty() || a.idNumber.empty())
        unreadable("incomplete");
    if (!model::isPersonalIdKind(a.idKind))
        unreadable("id_kind");
    return a;
}

} // namespace

SimulatedIdCardReader::SimulatedIdCardReader(std::string path)
    : m_path(std::move(path))
{
}

model::Applicant SimulatedIdCardReader::demoCard()
{
    model::Applicant a;
    a.name = "\xE9\x99\x88\xE7\xA7\x80\xE5\x85\xB0"; // 陈秀兰
    a.idKind = model::IdKind::ResidentId;
    a.idNumber = "330102195803151249";
    // 浙江省杭州市上城区清波街道河坊街18号
    a.postalAddress = "\xE6\xB5\x99\xE6\xB1\x9F\xE7\x9C\x81\xE6\x9D\xAD\xE5\xB7\x9E\xE5\xB8\x82\xE4\xB8\x8A"
                      "\xE5\x9F\x8E\xE5\x8C\xBA\xE6\xB8\x85\xE6\xB3\xA2\xE8\xA1\x97\xE9\x81\x93\xE6\xB2\xB3"
                      "\xE5\x9D\x8A\xE8\xA1\x97"
                      "18\xE5\x8F\xB7";
    return a;
}

std::optional<model::Applicant> SimulatedIdCardReader::read()
{
    if (m_path.empty())
        return demoCard();
    std::error_code ec;
    if (!std::filesystem::exists(m_path, ec))
        return std::nullopt; // no card on the reader
    std::ifstream in(m_path, std::ios::binary);
    if (!in)
        unreadable("io");
    std::ostringstream text;
    text << in.rdbuf();
    model::Json card;
    try {
        card = model::Json::parse(text.str());
    } catch (const model::DomainError&) {
        unreadable("json");
    }
    return fromCard(card);
}

std::unique_ptr<IdCardReader> makeIdCardReader()
{
    const char* path = std::getenv("OW_SIMULATED_ID_CARD");
    return std::make_unique<SimulatedIdCardReader>(path ? std::string(path) : std::string());
}

} // namespace ow::client
