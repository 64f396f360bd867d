// Everything the client says in words: the model's stable codes (errors, statuses,
// event types, roles, actions) turned into translated sentences and labels. The model
// never translates; this is the one place that does it for the GUI.
#pragma once

#include "model/Applicant.h"
#include "model/CaseState.h"
#include "model/Documents.h"
#include "model/Error.h"
#include "model/Permissions.h"
#include "model/Queue.h"

#include <string>
#include <wx/string.h>

namespace ow::gui {

inline wxString wx(const std::string& utf8)
{
    return wxString::FromUTF8(utf8.data(), utf8.size());
}
inline std::string utf8(const wxString& text)
{
    auto buffer = text.utf8_str();
    return std::string(buffer.data(), buffer.length());
}

// A translated sentence for a model or store error, naming what it is about.
wxString describe(const model::DomainError& error);
// The same for one field problem of an applicant ("applicant.idNumber" + "id.check_digit").
wxString describeProblem(const model::FieldProblem& problem);

// Whether the interface speaks Chinese (the zh_CN catalog is in use): then names that
// exist in both languages (matters, materials, bundles) are shown in Chinese first.
bool chineseInterface();
// The name in the interface's language, else the other one.
wxString localName(const std::string& zh, const std::string& en);

wxString statusLabel(model::CaseStatus status);
wxString statusLabel(const std::string& status); // the stable name, as in case lists
wxString roleLabel(model::Role role);
wxString rolesLabel(const std::set<model::Role>& roles);
wxString eventLabel(const std::string& eventType);
wxString deliveryLabel(model::DeliveryMethod method);
wxString documentLabel(model::DocumentKind kind); // "acceptance notice"
wxString weekdayLabel(model::Date date); // "Mon"
wxString idKindLabel(model::IdKind kind);
wxString ticketStatusLabel(model::TicketStatus status);
wxString ticketPriorityLabel(model::TicketPriority priority); // "" for normal
// The words of a rating level (好差评): 5 "very satisfied" … 1 "very dissatisfied".
wxString ratingLabel(int level);

} // namespace ow::gui
