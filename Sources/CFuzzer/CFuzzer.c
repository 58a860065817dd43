// Only the header matters; this file gives the target something to compile.
