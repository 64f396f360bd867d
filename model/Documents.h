// The documents a service window hands out: 受理通知书, 一次性告知书, 不予受理通知书,
// 容缺受理承诺书 and 办结取件单. Which of them fit a case, how they are numbered, and what
// they say — as a layout-neutral description that client/documents renders to PDF and to
// the print preview. The wording is always Chinese (these are legal forms handed to
// citizens, not screen text) and lives in one table in Documents.cpp.
#pragma once

#include "model/CaseState.h"
#include "model/Catalogue.h"
#include "model/Date.h"
#include "model/HolidayCalendar.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::model {

enum class DocumentKind {
    AcceptanceNotice, // 受理通知书: accepted, and accepted with deficiencies
    OneTimeNotice, // 一次性告知书: every missing item at once
    RefusalNotice, // 不予受理通知书: reason, legal basis, remedies
    DeficiencyCommitment, // 容缺受理承诺书: the applicant's commitment to bring what is owed
    PickupSlip, // 办结取件单: where to pick the result up
};

// Stable names, as recorded in case.document_issued: "acceptance_notice", "one_time_notice",
// "refusal_notice", "deficiency_commitment", "pickup_slip".
std::string toString(DocumentKind kind);
std::optional<DocumentKind> documentKindFromString(std::string_view name);
const std::vector<DocumentKind>& allDocumentKinds();
// The two letters inside a document number (pinyin initials): SL 受理, GZ 告知, BY 不予,
// RQ 容缺, LQ 领取.
std::string_view documentKindCode(DocumentKind kind);
// The official title printed on the document, e.g. "受理通知书".
std::string documentTitle(DocumentKind kind);

// Whether a document fits the case's decision. Each stays applicable once its decision
// is taken, so a reprint is possible later:
//   acceptance notice      the case was accepted (with or without deficiencies)
//   one-time notice        a one-time notice was issued (case.notice_issued)
//   refusal notice         the application was refused
//   deficiency commitment  the case was accepted with deficiencies
//   pick-up slip           concluded (approved or denied) and the result is picked up at
//                          the window
bool documentApplies(DocumentKind kind, const CaseState& state);
std::vector<DocumentKind> applicableDocuments(const CaseState& state);

// Document numbers: "<case number>-<kind code>-<n>", e.g. "330102-20260212-000001-SL-1",
// where n counts that kind's original (non-reprint) issues recorded on the case so far,
// this one included. A reprint (补打) carries the number of the issue it reproduces.
// Two workstations issuing the same kind of one case while cut off from each other can
// hand out the same number; both issues stay recorded (documents commute in the fold).
std::string documentNumber(const std::string& caseNumber, DocumentKind kind, int n);
// Original issues of a kind recorded on the case (reprints not counted).
int originalIssues(const CaseState& state, DocumentKind kind);

struct DocumentIssue {
    std::string number;
    bool reprint = false;
    std::optional<Date> originalOn; // for a reprint: when the original was issued
};

// The next original issue of a kind. Throws "document.not_applicable" (facts case, kind,
// status) when the document does not fit the case.
DocumentIssue nextIssue(const CaseState& state, DocumentKind kind);
// A reprint of an earlier original: `number`, or the latest original of that kind when
// empty. Throws "document.not_applicable", or "document.not_issued" (facts case, kind,
// number) when there is no such original to reprint.
DocumentIssue reprintIssue(const CaseState& state, DocumentKind kind, const std::string& number = {});

// What the composer needs that the case does not know: the issuing centre and clerk,
// and the number chosen above.
struct DocumentContext {
    std::string centreName; // e.g. "上城区行政服务中心"
    std::string centreAddress; // where to bring materials and pick results up; optional
    std::string centrePhone; // 咨询电话; optional
    std::string window; // the issuing window, e.g. "W03"; the case's window when empty
    std::string clerkName; // display name of the clerk, never the login id alone
    Date issuedOn;
    std::string number; // from nextIssue / reprintIssue
    bool reprint = false;
    // The refusal notice names where to seek remedies; generic wording when empty.
    std::string reconsiderationOrgan; // 行政复议机关, e.g. "杭州市上城区人民政府"
    std::string court; // e.g. "杭州市上城区人民法院"
};

// A layout-neutral document: the renderer decides fonts, sizes and page breaks.
struct DocumentField {
    std::string label;
    std::string value;
};

struct DocumentSignature {
    std::string label; // e.g. "申请人（签字）"
    std::string dateLabel; // e.g. "年　　月　　日", printed after the signature line
};

struct DocumentBlock {
    enum class Type {
        Heading, // `text`: a section heading
        Fields, // `fields`: label/value rows, labels aligned
        Paragraph, // `text`: running text; `indent`: first line indented two characters
        Table, // `columns` and `rows` (each as long as `columns`), `weights` relative widths
        Signatures, // `signatures`: lines to sign on
        Issuer, // `lines`: right-aligned closing lines (issuing centre, date)
    };
    Type type = Type::Paragraph;
    std::string text;
    bool indent = true;
    std::vector<DocumentField> fields;
    std::vector<std::string> columns;
    std::vector<int> weights;
    std::vector<std::vector<std::string>> rows;
    std::vector<DocumentSignature> signatures;
    std::vector<std::string> lines;
};

struct DocumentContent {
    DocumentKind kind = DocumentKind::AcceptanceNotice;
    std::string title; // e.g. "受理通知书"
    std::string number;
    std::string numberLabel; // "编号：" — printed before the number
    bool reprint = false;
    std::string reprintMark; // "补打": shown prominently on a reprint
    std::string reprintNote; // on a reprint: when the original was issued; else empty
    std::string caseNumber;
    std::string qrPayload; // the case number
    std::string qrCaption; // printed under the QR code
    std::string continuedMark; // "（续）": after the title on continuation pages
    std::string pageFormat; // "第{page}页 共{pages}页"
    std::vector<DocumentBlock> blocks;
};

// Composes a document for a case. Throws "document.not_applicable" (facts case, kind,
// status) when it does not fit the case, "document.number_missing" (facts case, kind)
// without a number. Identity numbers appear only masked, as displayId shows them.
DocumentContent composeDocument(DocumentKind kind, const CaseState& state, const Catalogue& catalogue,
    const HolidayCalendar& calendar, const DocumentContext& context);

// "2026年2月12日", as the documents print dates.
std::string chineseDate(Date date);

} // namespace ow::model
