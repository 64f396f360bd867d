#include "model/Permissions.h"

#include "model/Error.h"

#include <map>

namespace ow::model {

namespace {

using enum Action;

// Who may do what. Window staff run the counter; reviewers decide in the back office;
// queue managers move work, settle conflicts and record ratings taken on the applicant's
// side (a clerk never rates their own service); administrators keep reference data.
const std::map<Role, std::set<Action>>& table()
{
    static const std::map<Role, std::set<Action>> t = {
        {Role::WindowStaff,
            {ViewCase, OpenCase, ReceiveMaterial, Accept, AcceptDeficient, IssueNotice, RecordCorrection,
                Refuse, Route, Suspend, Resume, Conclude, Deliver, Withdraw, Close, AddNote, IssueDocument,
                TransferCentre, IssueTicket, CallTicket}},
        {Role::Reviewer,
            {ViewCase, ReceiveMaterial, CompleteStep, Route, Suspend, Resume, ApproveExtension, Conclude,
                Terminate, AddNote, IssueDocument}},
        {Role::QueueManager,
            {ViewCase, AddNote, Assign, TransferCentre, ResolveConflict, ApproveExtension, Terminate,
                RecordEvaluation, IssueTicket, MoveTicket, FollowUpRating}},
        {Role::Administrator,
            {ViewCase, AddNote, ManageCatalogue, ManageStaff, ManageCalendar, ResolveConflict}},
    };
    return t;
}

} // namespace

std::string toString(Role r)
{
    switch (r) {
    case Role::WindowStaff:
        return "window_staff";
    case Role::Reviewer:
        return "reviewer";
    case Role::QueueManager:
        return "queue_manager";
    case Role::Administrator:
        return "administrator";
    }
    return "unknown";
}

std::optional<Role> roleFromString(const std::string& s)
{
    for (Role r : allRoles())
        if (toString(r) == s)
            return r;
    return std::nullopt;
}

const std::vector<Role>& allRoles()
{
    static const std::vector<Role> roles
        = {Role::WindowStaff, Role::Reviewer, Role::QueueManager, Role::Administrator};
    return roles;
}

const std::vector<Action>& allActions()
{
    static const std::vector<Action> actions = {ViewCase, OpenCase, ReceiveMaterial, Accept, AcceptDeficient,
        IssueNotice, RecordCorrection, Refuse, Route, CompleteStep, Suspend, Resume, ApproveExtension,
        Conclude, Deliver, Withdraw, Terminate, Close, AddNote, IssueDocument, RecordEvaluation, Assign,
        TransferCentre, ResolveConflict, ManageCatalogue, ManageStaff, ManageCalendar, IssueTicket,
        CallTicket, MoveTicket, FollowUpRating};
    return actions;
}

std::string toString(Action a)
{
    static const std::map<Action, std::string> names = {{ViewCase, "view_case"}, {OpenCase, "open_case"},
        {ReceiveMaterial, "receive_material"}, {Accept, "accept"}, {AcceptDeficient, "accept_deficient"},
        {IssueNotice, "issue_notice"}, {RecordCorrection, "record_correction"}, {Refuse, "refuse"},
        {Route, "route"}, {CompleteStep, "complete_step"}, {Suspend, "suspend"}, {Resume, "resume"},
        {ApproveExtension, "approve_extension"}, {Conclude, "conclude"}, {Deliver, "deliver"},
        {Withdraw, "withdraw"}, {Terminate, "terminate"}, {Close, "close"}, {AddNote, "add_note"},
        {IssueDocument, "issue_document"}, {RecordEvaluation, "record_evaluation"}, {Assign, "assign"},
        {TransferCentre, "transfer_centre"}, {ResolveConflict, "resolve_conflict"},
        {ManageCatalogue, "manage_catalogue"}, {ManageStaff, "manage_staff"},
        {ManageCalendar, "manage_calendar"}, {IssueTicket, "issue_ticket"}, {CallTicket, "call_ticket"},
        {MoveTicket, "move_ticket"}, {FollowUpRating, "follow_up_rating"}};
    auto it = names.find(a);
    return it == names.end() ? "unknown" : it->second;
}

bool roleAllows(Role r, Action a)
{
    auto it = table().find(r);
    return it != table().end() && it->second.count(a) > 0;
}

bool Staff::can(Action a) const
{
    if (!active)
        return false;
    for (Role r : roles)
        if (roleAllows(r, a))
            return true;
    return false;
}

void requirePermission(const Staff& staff, Action a)
{
    if (!staff.active)
        throw DomainError("permission.inactive", {{"actor", staff.id}, {"action", toString(a)}});
    if (staff.can(a))
        return;
    std::string roles;
    for (Role r : staff.roles)
        roles += (roles.empty() ? "" : ",") + toString(r);
    throw DomainError("permission.denied", {{"actor", staff.id}, {"action", toString(a)}, {"roles", roles}});
}

} // namespace ow::model
