# Writes the bytes of IN as a C++ array into OUT, so shipped data needs no files at run time.
# Usage: cmake -DIN=file -DOUT=file.cpp -DSYMBOL=name -P embed_file.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" body "${body}")
file(WRITE "${OUT}" "// Generated from ${IN} by embed_file.cmake; do not edit.\n#include <cstddef>\n\nnamespace attent::embedded {\nextern const unsigned char ${SYMBOL}[];\nextern const std::size_t ${SYMBOL}_size;\nconst unsigned char ${SYMBOL}[] = {\n${body}};\nconst std::size_t ${SYMBOL}_size = ${bytes};\n}  // namespace attent::embedded\n")
