/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Format macros for the <stdint.h> types (C11 7.8) and the intmax_t
 * helpers. The length modifiers follow the types GCC gives stdint.h on
 * Linux targets: LP64 (x86_64, arm64) uses long for 64-bit, pointer-sized
 * and "fast" 16/32-bit types; ILP32 uses long long, int and int.
 * The SCN macros are provided for completeness: nolibc has no scanf.
 */
#ifndef MICA_NOLIBC_INTTYPES_H
#define MICA_NOLIBC_INTTYPES_H

#include <stdint.h>

#if __SIZEOF_LONG__ == 8
#define MICA_NOLIBC_PRI64_   "l"
#define MICA_NOLIBC_PRIPTR_  "l"
#define MICA_NOLIBC_PRIFAST_ "l"
#else
#define MICA_NOLIBC_PRI64_   "ll"
#define MICA_NOLIBC_PRIPTR_  ""
#define MICA_NOLIBC_PRIFAST_ ""
#endif

#define PRId8	    "d"
#define PRId16	    "d"
#define PRId32	    "d"
#define PRId64	    MICA_NOLIBC_PRI64_ "d"
#define PRIdLEAST8  "d"
#define PRIdLEAST16 "d"
#define PRIdLEAST32 "d"
#define PRIdLEAST64 MICA_NOLIBC_PRI64_ "d"
#define PRIdFAST8   "d"
#define PRIdFAST16  MICA_NOLIBC_PRIFAST_ "d"
#define PRIdFAST32  MICA_NOLIBC_PRIFAST_ "d"
#define PRIdFAST64  MICA_NOLIBC_PRI64_ "d"
#define PRIdMAX	    "jd"
#define PRIdPTR	    MICA_NOLIBC_PRIPTR_ "d"

#define PRIi8	    "i"
#define PRIi16	    "i"
#define PRIi32	    "i"
#define PRIi64	    MICA_NOLIBC_PRI64_ "i"
#define PRIiLEAST8  "i"
#define PRIiLEAST16 "i"
#define PRIiLEAST32 "i"
#define PRIiLEAST64 MICA_NOLIBC_PRI64_ "i"
#define PRIiFAST8   "i"
#define PRIiFAST16  MICA_NOLIBC_PRIFAST_ "i"
#define PRIiFAST32  MICA_NOLIBC_PRIFAST_ "i"
#define PRIiFAST64  MICA_NOLIBC_PRI64_ "i"
#define PRIiMAX	    "ji"
#define PRIiPTR	    MICA_NOLIBC_PRIPTR_ "i"

#define PRIo8	    "o"
#define PRIo16	    "o"
#define PRIo32	    "o"
#define PRIo64	    MICA_NOLIBC_PRI64_ "o"
#define PRIoLEAST8  "o"
#define PRIoLEAST16 "o"
#define PRIoLEAST32 "o"
#define PRIoLEAST64 MICA_NOLIBC_PRI64_ "o"
#define PRIoFAST8   "o"
#define PRIoFAST16  MICA_NOLIBC_PRIFAST_ "o"
#define PRIoFAST32  MICA_NOLIBC_PRIFAST_ "o"
#define PRIoFAST64  MICA_NOLIBC_PRI64_ "o"
#define PRIoMAX	    "jo"
#define PRIoPTR	    MICA_NOLIBC_PRIPTR_ "o"

#define PRIu8	    "u"
#define PRIu16	    "u"
#define PRIu32	    "u"
#define PRIu64	    MICA_NOLIBC_PRI64_ "u"
#define PRIuLEAST8  "u"
#define PRIuLEAST16 "u"
#define PRIuLEAST32 "u"
#define PRIuLEAST64 MICA_NOLIBC_PRI64_ "u"
#define PRIuFAST8   "u"
#define PRIuFAST16  MICA_NOLIBC_PRIFAST_ "u"
#define PRIuFAST32  MICA_NOLIBC_PRIFAST_ "u"
#define PRIuFAST64  MICA_NOLIBC_PRI64_ "u"
#define PRIuMAX	    "ju"
#define PRIuPTR	    MICA_NOLIBC_PRIPTR_ "u"

#define PRIx8	    "x"
#define PRIx16	    "x"
#define PRIx32	    "x"
#define PRIx64	    MICA_NOLIBC_PRI64_ "x"
#define PRIxLEAST8  "x"
#define PRIxLEAST16 "x"
#define PRIxLEAST32 "x"
#define PRIxLEAST64 MICA_NOLIBC_PRI64_ "x"
#define PRIxFAST8   "x"
#define PRIxFAST16  MICA_NOLIBC_PRIFAST_ "x"
#define PRIxFAST32  MICA_NOLIBC_PRIFAST_ "x"
#define PRIxFAST64  MICA_NOLIBC_PRI64_ "x"
#define PRIxMAX	    "jx"
#define PRIxPTR	    MICA_NOLIBC_PRIPTR_ "x"

#define PRIX8	    "X"
#define PRIX16	    "X"
#define PRIX32	    "X"
#define PRIX64	    MICA_NOLIBC_PRI64_ "X"
#define PRIXLEAST8  "X"
#define PRIXLEAST16 "X"
#define PRIXLEAST32 "X"
#define PRIXLEAST64 MICA_NOLIBC_PRI64_ "X"
#define PRIXFAST8   "X"
#define PRIXFAST16  MICA_NOLIBC_PRIFAST_ "X"
#define PRIXFAST32  MICA_NOLIBC_PRIFAST_ "X"
#define PRIXFAST64  MICA_NOLIBC_PRI64_ "X"
#define PRIXMAX	    "jX"
#define PRIXPTR	    MICA_NOLIBC_PRIPTR_ "X"

#define SCNd8	    "hhd"
#define SCNd16	    "hd"
#define SCNd32	    "d"
#define SCNd64	    MICA_NOLIBC_PRI64_ "d"
#define SCNdLEAST8  "hhd"
#define SCNdLEAST16 "hd"
#define SCNdLEAST32 "d"
#define SCNdLEAST64 MICA_NOLIBC_PRI64_ "d"
#define SCNdFAST8   "hhd"
#define SCNdFAST16  MICA_NOLIBC_PRIFAST_ "d"
#define SCNdFAST32  MICA_NOLIBC_PRIFAST_ "d"
#define SCNdFAST64  MICA_NOLIBC_PRI64_ "d"
#define SCNdMAX	    "jd"
#define SCNdPTR	    MICA_NOLIBC_PRIPTR_ "d"

#define SCNi8	    "hhi"
#define SCNi16	    "hi"
#define SCNi32	    "i"
#define SCNi64	    MICA_NOLIBC_PRI64_ "i"
#define SCNiLEAST8  "hhi"
#define SCNiLEAST16 "hi"
#define SCNiLEAST32 "i"
#define SCNiLEAST64 MICA_NOLIBC_PRI64_ "i"
#define SCNiFAST8   "hhi"
#define SCNiFAST16  MICA_NOLIBC_PRIFAST_ "i"
#define SCNiFAST32  MICA_NOLIBC_PRIFAST_ "i"
#define SCNiFAST64  MICA_NOLIBC_PRI64_ "i"
#define SCNiMAX	    "ji"
#define SCNiPTR	    MICA_NOLIBC_PRIPTR_ "i"

#define SCNo8	    "hho"
#define SCNo16	    "ho"
#define SCNo32	    "o"
#define SCNo64	    MICA_NOLIBC_PRI64_ "o"
#define SCNoLEAST8  "hho"
#define SCNoLEAST16 "ho"
#define SCNoLEAST32 "o"
#define SCNoLEAST64 MICA_NOLIBC_PRI64_ "o"
#define SCNoFAST8   "hho"
#define SCNoFAST16  MICA_NOLIBC_PRIFAST_ "o"
#define SCNoFAST32  MICA_NOLIBC_PRIFAST_ "o"
#define SCNoFAST64  MICA_NOLIBC_PRI64_ "o"
#define SCNoMAX	    "jo"
#define SCNoPTR	    MICA_NOLIBC_PRIPTR_ "o"

#define SCNu8	    "hhu"
#define SCNu16	    "hu"
#define SCNu32	    "u"
#define SCNu64	    MICA_NOLIBC_PRI64_ "u"
#define SCNuLEAST8  "hhu"
#define SCNuLEAST16 "hu"
#define SCNuLEAST32 "u"
#define SCNuLEAST64 MICA_NOLIBC_PRI64_ "u"
#define SCNuFAST8   "hhu"
#define SCNuFAST16  MICA_NOLIBC_PRIFAST_ "u"
#define SCNuFAST32  MICA_NOLIBC_PRIFAST_ "u"
#define SCNuFAST64  MICA_NOLIBC_PRI64_ "u"
#define SCNuMAX	    "ju"
#define SCNuPTR	    MICA_NOLIBC_PRIPTR_ "u"

#define SCNx8	    "hhx"
#define SCNx16	    "hx"
#define SCNx32	    "x"
#define SCNx64	    MICA_NOLIBC_PRI64_ "x"
#define SCNxLEAST8  "hhx"
#define SCNxLEAST16 "hx"
#define SCNxLEAST32 "x"
#define SCNxLEAST64 MICA_NOLIBC_PRI64_ "x"
#define SCNxFAST8   "hhx"
#define SCNxFAST16  MICA_NOLIBC_PRIFAST_ "x"
#define SCNxFAST32  MICA_NOLIBC_PRIFAST_ "x"
#define SCNxFAST64  MICA_NOLIBC_PRI64_ "x"
#define SCNxMAX	    "jx"
#define SCNxPTR	    MICA_NOLIBC_PRIPTR_ "x"

typedef struct {
	intmax_t quot;
	intmax_t rem;
} imaxdiv_t;

intmax_t imaxabs(intmax_t j);
imaxdiv_t imaxdiv(intmax_t numer, intmax_t denom);
intmax_t strtoimax(const char *restrict nptr, char **restrict endptr, int base);
uintmax_t strtoumax(const char *restrict nptr, char **restrict endptr,
		    int base);

#endif /* MICA_NOLIBC_INTTYPES_H */
