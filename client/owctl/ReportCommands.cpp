// owctl report: the KPIs of a range of days (model/Kpi.h, docs/KPIS.md) as JSON, CSV or
// an XLSX workbook (client/report), read from the store's columns only.
#include "model/CaseNumber.h"
#include "model/Kpi.h"

#include "Commands.h"
#include "client/report/KpiExport.h"

#include <set>

namespace ow::owctl {

namespace {

model::Date dateOption(const Context& ctx, const std::string& option)
{
    if (!ctx.args().has(option))
        throw UsageError(option + " YYYY-MM-DD is required");
    const std::string text = ctx.args().value(option);
    auto day = model::Date::fromIso(text);
    if (!day)
        throw UsageError(option + " expects a date YYYY-MM-DD, got '" + text + "'");
    return *day;
}

bool hasControlCharacter(const std::string& s)
{
    for (char c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            return true;
    return false;
}

} // namespace

int runReport(Context& ctx)
{
    model::KpiQuery query;
    query.from = dateOption(ctx, "--from");
    query.to = dateOption(ctx, "--to");
    if (query.from > query.to)
        throw UsageError("--from " + query.from.iso() + " is after --to " + query.to.iso());
    const std::string format = ctx.args().value("--format", "json");
    if (format != "json" && format != "csv" && format != "xlsx")
        throw UsageError("--format expects xlsx, csv or json, got '" + format + "'");
    const std::string output = ctx.args().value("--output");
    if (ctx.args().has("--output") && output.empty())
        throw UsageError("--output must not be empty");
    if (format == "xlsx" && output.empty())
        throw UsageError("--format xlsx needs --output FILE (a workbook is not written to the terminal)");
    if (ctx.json() && format != "json" && output.empty())
        throw UsageError("--json prints JSON; it cannot go with --format " + format + " on stdout");
    if (ctx.args().has("--centre")) {
        query.centre = ctx.args().value("--centre");
        if (!model::isValidCentreCode(query.centre))
            throw UsageError("--centre expects a six-digit centre code, got '" + query.centre + "'");
    }
    if (ctx.args().has("--department")) {
        query.department = ctx.args().value("--department");
        if (query.department.empty() || hasControlCharacter(query.department))
            throw UsageError("--department expects a department as the catalogue names it");
    }

    auto store = ctx.openStore();
    const model::Catalogue catalogue = store->catalogue();
    if (!query.department.empty()) {
        std::set<std::string> departments;
        for (const auto& [code, m] : catalogue.matters())
            departments.insert(m.department);
        if (!departments.count(query.department)) {
            std::string known;
            for (const auto& d : departments)
                known += (known.empty() ? "" : ", ") + d;
            throw Failure(ctx.subject(),
                "--department: no matter of the catalogue belongs to '" + query.department
                    + "' (departments: " + (known.empty() ? std::string("none") : known) + ")");
        }
    }
    // Departments of tickets and ratings (a join) only when the report is for one.
    const bool departments = !query.department.empty();
    const model::KpiReport report
        = model::computeKpis(query, store->ticketFactsBetween(query.from, query.to, departments),
            store->caseFactsBetween(query.from, query.to),
            store->ratingFactsBetween(query.from, query.to, departments), catalogue);

    try {
        if (output.empty()) {
            ctx.out() << (format == "csv" ? report::toCsv(report) : report::toJsonText(report));
            return kExitOk;
        }
        if (format == "xlsx")
            report::writeXlsx(report, output);
        else
            report::writeFileAtomically(
                output, format == "csv" ? report::toCsv(report) : report::toJsonText(report));
    } catch (const std::runtime_error& e) {
        throw Failure(ctx.subject(), e.what());
    }
    if (ctx.json()) {
        model::Json j = model::Json::object();
        j["file"] = output;
        j["format"] = format;
        j["from"] = query.from.iso();
        j["to"] = query.to.iso();
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "wrote " << output << " (" << format << ", " << query.from.iso() << " to "
                  << query.to.iso() << ")\n";
    }
    return kExitOk;
}

} // namespace ow::owctl
