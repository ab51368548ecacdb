#pragma once
// Embeds a committed data file (data/<path>) into the library at compile
// time: MOJIFIX_EMBED(name, "/model/model.bin") defines the bytes name[] to
// name_end[], aligned to 16 so the 16-, 32- and 64-bit arrays inside can be
// read in place. Use at namespace scope, once per file.

#define MOJIFIX_EMBED(name, path)          \
  asm(".section .rodata\n"                 \
      ".balign 16\n"                       \
      ".globl " #name                      \
      "\n"                                 \
      ".hidden " #name "\n" #name          \
      ":\n"                                \
      ".incbin \"" MOJIFIX_DATA_DIR path   \
      "\"\n"                               \
      ".globl " #name                      \
      "_end\n"                             \
      ".hidden " #name "_end\n" #name      \
      "_end:\n"                            \
      ".previous\n");                      \
  extern "C" {                             \
  extern const unsigned char name[];       \
  extern const unsigned char name##_end[]; \
  }
