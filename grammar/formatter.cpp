#include "formatter.hpp"
namespace plan {
FormatResult format_source(const std::string&, const std::string& text, bool) { return {true, text, ""}; }
}
