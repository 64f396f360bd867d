// The ID-card reader at the window (二代身份证阅读器), behind an interface so that intake
// works and is tested without the device: SimulatedIdCardReader returns the card that a
// small JSON file describes (OW_SIMULATED_ID_CARD) or a fixed demo card. A driver for a
// real reader implements the same interface. Reading may take a second on a real
// device, so the client calls it on its worker thread.
#pragma once

#include "model/Applicant.h"

#include <memory>
#include <optional>
#include <string>

namespace ow::client {

class IdCardReader {
public:
    virtual ~IdCardReader() = default;
    // The card on the reader as an applicant (a person; the ID kind follows the number;
    // the card's address comes back as the postal address, which the clerk may change),
    // or nullopt when no card is on the reader. Throws DomainError "idcard.unreadable"
    // (fact reason) when the reader answers with something that is not a card.
    virtual std::optional<model::Applicant> read() = 0;
};

class SimulatedIdCardReader : public IdCardReader {
public:
    // `path`: a JSON object {"name", "idNumber", "address", optional "idKind" (stable
    // name) and "phone"}; a path that does not exist means no card on the reader. Empty:
    // the demo card. The file is read on every read(), so a test can change cards.
    explicit SimulatedIdCardReader(std::string path = {});
    std::optional<model::Applicant> read() override;

    // 陈秀兰, born 1958 (an elderly applicant), resident of 上城区.
    static model::Applicant demoCard();

private:
    std::string m_path;
};

// The reader of this workstation: the simulation, given OW_SIMULATED_ID_CARD when set.
std::unique_ptr<IdCardReader> makeIdCardReader();

} // namespace ow::client
