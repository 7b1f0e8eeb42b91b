# Writes the bytes of INPUT (the math bitcode) as a C++ array into OUTPUT (numeric/bitcode.hpp).
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" length)
math(EXPR size "${length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}" "// Generated from numeric/math.cpp by numeric/embed_bitcode.cmake.\n#include \"numeric/bitcode.hpp\"\n\nnamespace plan::numeric {\nconst unsigned char kMathBitcode[] = {\n${bytes}\n};\nconst std::size_t kMathBitcodeSize = ${size};\n}  // namespace plan::numeric\n")
