// The grammar itself: PEGTL's analysis, and the shape of the trees the parser builds.
#include <catch2/catch.hpp>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/grammar.hpp"
#include "grammar/parser.hpp"

namespace {

plan::ParseResult parse_text(plan::SourceMap& sources, const std::string& text) {
    uint32_t file = sources.add("<test>", text);
    return plan::parse(sources, file);
}

}  // namespace

TEST_CASE("the grammar has no left recursion or rules that loop without consuming", "[grammar]") {
    CHECK(tao::pegtl::analyze<plan::grammar::statement_line>(1) == 0);
}

TEST_CASE("precedence: juxtaposition binds tighter than division, power tighter than minus", "[grammar]") {
    plan::SourceMap sources;
    auto r = parse_text(sources, "1 PFLOP/s; -2^2; a -> GB / s\nif a then b else c -> GB");
    REQUIRE(r.errors.empty());
    REQUIRE(r.module.stmts.size() == 4);
    const auto& div = *r.module.stmts[0]->value;
    CHECK(div.kind == plan::ast::ExprKind::Binary);
    CHECK(div.text == "/");
    CHECK(div.args[0]->kind == plan::ast::ExprKind::Juxtapose);
    const auto& neg = *r.module.stmts[1]->value;
    CHECK(neg.kind == plan::ast::ExprKind::Unary);
    CHECK(neg.args[0]->text == "^");
    const auto& conv = *r.module.stmts[2]->value;
    CHECK(conv.kind == plan::ast::ExprKind::Convert);
    CHECK(conv.args[1]->text == "/");
    CHECK(r.module.stmts[3]->value->kind == plan::ast::ExprKind::If);  // the else branch takes `-> GB`
}

TEST_CASE("statements end at newlines, except inside brackets and after operators", "[grammar]") {
    plan::SourceMap sources;
    auto r = parse_text(sources, "let a = [1,\n 2]\nlet b = 1 +\n  2\nlet c = { x = 1\n y = 2 }; let d = 4");
    REQUIRE(r.errors.empty());
    CHECK(r.module.stmts.size() == 4);
}

TEST_CASE("a line that starts with a binary operator continues the statement above", "[grammar]") {
    plan::SourceMap sources;
    // `-3` after a complete statement continues it too: `x = 5 - 3`, not a statement `-3`.
    auto r = parse_text(sources, "let x = 5\n-3\nlet y = a  # c\n\n  # d\n  * b\n  -> GB\nprint p\n  and q\n  or r\n-4");
    REQUIRE(r.errors.empty());
    REQUIRE(r.module.stmts.size() == 3);
    CHECK(r.module.stmts[0]->value->text == "-");
    CHECK(r.module.stmts[1]->value->kind == plan::ast::ExprKind::Convert);
    CHECK(r.module.stmts[1]->value->args[0]->text == "*");
    CHECK(r.module.stmts[2]->values[0]->text == "or");  // and `r - 4` on its right
    // A statement with no expression at its end is not continued: the operator starts a line.
    auto u = parse_text(sources, "use memory\n* 2");
    REQUIRE(u.errors.size() == 1);
    CHECK(u.errors[0].code == plan::Code::ExpectedStatement);
    // The first line of a file, and a line after `;`, may start with a sign.
    auto n = parse_text(sources, "-1; -2");
    REQUIRE(n.errors.empty());
    CHECK(n.module.stmts.size() == 2);
}

TEST_CASE("did-you-mean prefers the same name in another case, then the family, then the closest", "[diagnostic]") {
    std::vector<std::string> names = {"H100_SXM", "H100_PCIe", "A100_80GB", "GB", "Gbit", "layers"};
    CHECK(plan::closest_names("H100", names) == std::vector<std::string>{"H100_SXM", "H100_PCIe"});
    CHECK(plan::did_you_mean("H100", names) == "did you mean `H100_SXM` or `H100_PCIe`?");
    CHECK(plan::closest_names("h100_sxm", names) == std::vector<std::string>{"H100_SXM"});
    CHECK(plan::closest_names("layres", names) == std::vector<std::string>{"layers"});
    CHECK(plan::closest_names("A1", names).empty());  // too short to have a family
    CHECK(plan::did_you_mean("zzzzzz", names).empty());
}

TEST_CASE("the parser reports one error per broken statement, with positions", "[grammar]") {
    plan::SourceMap sources;
    auto r = parse_text(sources, "let a = (1\nlet b = 2\nlet = 3\nlet c = 4 4\n");
    REQUIRE(r.errors.size() == 3);
    CHECK(r.errors[0].message == "expected `)`");
    CHECK(sources.location(r.errors[0].labels[0].span) == "<test>:1:11");
    CHECK(r.errors[1].message == "expected a name");
    CHECK(sources.location(r.errors[1].labels[0].span) == "<test>:3:5");
    CHECK(r.errors[2].message == "expected the end of the statement (a newline or `;`)");
    CHECK(sources.location(r.errors[2].labels[0].span) == "<test>:4:11");
    CHECK(r.module.stmts.size() == 1);  // `let b = 2` survived
}

TEST_CASE("doc comments attach to the next statement, and all comments are kept", "[grammar]") {
    plan::SourceMap sources;
    auto r = parse_text(sources, "# plain\n## Bytes per parameter.\n## In bf16.\nlet x = 2  # trailing\n");
    REQUIRE(r.errors.empty());
    CHECK(r.module.stmts[0]->doc == "Bytes per parameter.\nIn bf16.");
    REQUIRE(r.module.comments.size() == 4);
    CHECK(r.module.comments[3].text == "# trailing");
    CHECK_FALSE(r.module.comments[3].own_line);
}

TEST_CASE("number literals: value of scale suffixes and separators", "[grammar]") {
    plan::SourceMap sources;
    auto r = parse_text(sources, "7B\n1_000\n2.5e3k\n50%");
    REQUIRE(r.errors.empty());
    CHECK(r.module.stmts[0]->value->number == 7e9);
    CHECK(r.module.stmts[1]->value->number == 1000);
    CHECK(r.module.stmts[2]->value->number == 2.5e6);
    CHECK(r.module.stmts[3]->value->number == 0.5);
    CHECK(r.module.stmts[2]->value->text == "2.5e3k");
}

TEST_CASE("a module name may name a module in a folder: use a::b", "[grammar]") {
    plan::SourceMap sources;
    auto r = parse_text(sources, "use hardware::nvidia\nuse a::b::c\nuse models\n");
    REQUIRE(r.errors.empty());
    REQUIRE(r.module.stmts.size() == 3);
    CHECK(r.module.stmts[0]->kind == plan::ast::StmtKind::Use);
    CHECK(r.module.stmts[0]->name == "hardware::nvidia");
    const auto& span = r.module.stmts[0]->name_span;
    CHECK(sources.file(span.file).text.substr(span.begin, span.end - span.begin) == "hardware::nvidia");
    CHECK(r.module.stmts[1]->name == "a::b::c");
    CHECK(r.module.stmts[2]->name == "models");
    // `::` needs a name after it, and takes no blanks.
    auto broken = parse_text(sources, "use a::\nuse a :: b\nuse a::1\n");
    REQUIRE(broken.errors.size() == 3);
    CHECK(broken.errors[0].message == "expected a module name after `::`");
    CHECK(sources.location(broken.errors[0].labels[0].span) == "<test>:1:8");
    CHECK(broken.errors[1].message == "expected the end of the statement (a newline or `;`)");
    CHECK(broken.errors[2].message == "expected a module name after `::`");
}
