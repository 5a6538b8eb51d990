/*
 * A minimal HotSpot disassembler plugin (hsdis) on the Capstone library, so that
 * -XX:+PrintAssembly / -XX:CompileCommand=print show x86-64 instructions instead of hex.
 * HotSpot (JDK 17 and later) looks up decode_instructions_virtual in hsdis-amd64.so; this file
 * implements just that entry point, in Intel syntax. Build it with build-hsdis.sh.
 */
#include <capstone/capstone.h>
#include <stdint.h>

typedef void *(*event_callback_t)(void *, const char *, void *);
typedef int (*printf_callback_t)(void *, const char *, ...);

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer,
                                  uintptr_t length, event_callback_t event_callback, void *event_stream,
                                  printf_callback_t printf_callback, void *printf_stream,
                                  const char *options, int newline) {
  (void) end_va;
  (void) options;
  csh handle;
  if (cs_open(CS_ARCH_X86, CS_MODE_64, &handle) != CS_ERR_OK) return NULL;
  cs_option(handle, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
  cs_insn *insn;
  size_t count = cs_disasm(handle, buffer, length, start_va, 0, &insn);
  uintptr_t next = start_va;
  for (size_t i = 0; i < count; i++) {
    /* HotSpot prints its own annotations (oop maps, calls, safepoint polls) around these events. */
    event_callback(event_stream, "insn", (void *) (uintptr_t) insn[i].address);
    printf_callback(printf_stream, "%s\t%s", insn[i].mnemonic, insn[i].op_str);
    event_callback(event_stream, "/insn", (void *) (uintptr_t) (insn[i].address + insn[i].size));
    if (newline) printf_callback(printf_stream, "\n");
    next = insn[i].address + insn[i].size;
  }
  cs_free(insn, count);
  cs_close(&handle);
  return (void *) next;
}
