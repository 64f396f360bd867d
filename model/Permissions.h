// Roles and what each may do. Application services check this table on every call;
// the GUI hiding a button is a convenience, not the guard.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace ow::model {

enum class Role { WindowStaff, Reviewer, QueueManager, Administrator };

enum class Action {
    ViewCase,
    OpenCase,
    ReceiveMaterial,
    Accept,
    AcceptDeficient,
    IssueNotice,
    RecordCorrection,
    Refuse,
    Route,
    CompleteStep,
    Suspend,
    Resume,
    ApproveExtension,
    Conclude,
    Deliver,
    Withdraw,
    Terminate,
    Close,
    AddNote,
    IssueDocument,
    RecordEvaluation,
    Assign,
    TransferCentre,
    ResolveConflict,
    ManageCatalogue,
    ManageStaff,
    ManageCalendar,
    IssueTicket, // at a kiosk or for an appointment
    CallTicket, // call, recall, park, end and pass on the tickets of one's own window
    MoveTicket, // move anybody's ticket to another window, category or staff member
    FollowUpRating, // call back, rectify or review a bad rating (好差评)
};

std::string toString(Role);
std::optional<Role> roleFromString(const std::string&);
std::string toString(Action);
const std::vector<Role>& allRoles();
const std::vector<Action>& allActions();

bool roleAllows(Role, Action);

struct Staff {
    std::string id; // login name, also the event actor
    std::string name;
    std::set<Role> roles;
    std::string centre;
    bool active = true;

    bool can(Action a) const;
};

// Throws DomainError "permission.denied" (facts actor, action, roles) or
// "permission.inactive" for a disabled account.
void requirePermission(const Staff&, Action);

} // namespace ow::model
