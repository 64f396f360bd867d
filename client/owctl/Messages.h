// English sentences for the model's and the store's error codes, for the one line owctl
// writes to stderr. The codes and facts stay the contract; the wording is for people.
#pragma once

#include "model/Applicant.h"
#include "model/Error.h"

#include <string>
#include <vector>

namespace ow::owctl {

// A sentence for a known code, else DomainError::what(). Never contains a full identity
// number: the model keeps those out of facts.
std::string explain(const model::DomainError& error);

// "applicant.idNumber: the check digit is wrong (expected 7, found 3)"; `prefix` is put
// before the field name ("applicant.").
std::string explainProblem(const model::FieldProblem& problem, const std::string& prefix);
std::string explainProblems(const std::vector<model::FieldProblem>& problems, const std::string& prefix);

// One line: line breaks and tabs become spaces, runs of spaces collapse.
std::string oneLine(const std::string& text);

} // namespace ow::owctl
