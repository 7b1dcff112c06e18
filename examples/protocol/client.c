/* A protocol v1 client in C: gradspec verify --exec "build/protocol/client".
 *
 * Build it from the repository root (C11, libc and libm only):
 *
 *     mkdir -p build/protocol
 *     cc -std=c11 -O2 -Wall -Wextra -o build/protocol/client examples/protocol/client.c -lm
 *     cc -std=c11 -O2 -Wall -Wextra -DADAM_BUG -o build/protocol/client_adam_bug examples/protocol/client.c -lm
 *
 * and run it:
 *
 *     gradspec verify --exec "build/protocol/client"            # exit status 0: every op conforms
 *     gradspec verify --exec "build/protocol/client_adam_bug"   # 1: adam_step, adam_weight_decay_step
 *                                                               #    and trajectory fail
 *     echo '{"id": 1, "op": "relu", "args": {"z": {"dtype": "float64", "shape": [2], "data": [-1, 2]}}}' \
 *         | build/protocol/client
 *
 * It reads one JSON request per line on stdin and writes one reply per line on stdout
 * (docs/protocol.md). Every op of protocol v1 is here, computed as gradspec.reference computes it
 * in the canonical dialect and in the same order of operations: a call whose arrays are all float32
 * is computed in float (a hyperparameter is rounded to float where it meets an array, as NumPy
 * does), any other in double; -Wdouble-promotion finds no float promoted to double on the way.
 * The -DADAM_BUG build has the Node.js example's Adam bug (examples/protocol/client_adam_bug.js):
 * the second moment is bias-corrected with beta1 instead of beta2. Every op that takes Adam's step
 * shares it: adam_step, adam_weight_decay_step and trajectory's adam rule.
 *
 * A request that cannot be answered gets {"id": N, "error": "..."}, and the client goes on to the
 * next line; where the line is too broken to tell its id, the id is null. Blank lines are skipped.
 *
 * The parts: a request's memory (freed after each reply), a JSON reader and writer, the arrays
 * and hyperparameters, the ops, and the loop that serves the requests.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tgmath.h> /* <math.h>, and exp, sqrt, tanh, ... computing in their argument's type */

/* NumPy rounds after every operation: no a * b + c fused into one (GCC does not fuse in -std=c11). */
#ifdef __clang__
#pragma STDC FP_CONTRACT OFF
#endif

#ifdef ADAM_BUG
#define CLIENT_NAME "gradspec example client with an Adam bug (C)"
#else
#define CLIENT_NAME "gradspec example client (C)"
#endif

/* --- a request's memory and errors ----------------------------------------------------------- */

/* Everything a request allocates is listed here and freed after its reply, whether it succeeded
 * or not; fail() writes the error's message and jumps back to the request's handler. */
static struct {
    jmp_buf fail;
    char message[512];
    const char *id; /* the request's id as it was written; NULL while unknown */
    size_t id_length;
    void **blocks;
    size_t count, capacity;
} request;

static _Noreturn void fail(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(request.message, sizeof request.message, format, arguments);
    va_end(arguments);
    longjmp(request.fail, 1);
}

static size_t keep(void *block) {
    if (request.count == request.capacity) {
        size_t capacity = request.capacity ? 2 * request.capacity : 64;
        void **blocks = realloc(request.blocks, capacity * sizeof *blocks);
        if (blocks == NULL) {
            free(block);
            fail("out of memory");
        }
        request.blocks = blocks;
        request.capacity = capacity;
    }
    request.blocks[request.count] = block;
    return request.count++;
}

static void *allocate(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size)
        fail("out of memory");
    void *block = malloc(count * size != 0 ? count * size : 1);
    if (block == NULL)
        fail("out of memory");
    keep(block);
    return block;
}

static void release_all(void) {
    for (size_t i = 0; i < request.count; i++)
        free(request.blocks[i]);
    request.count = 0;
    if (request.capacity > 65536) { /* a huge request: give the list back too */
        free(request.blocks);
        request.blocks = NULL;
        request.capacity = 0;
    }
}

/* A list that grows as a JSON array or object is read (its block stays listed in request). */
typedef struct {
    char *items;
    size_t count, capacity, size, slot;
} List;

static void *list_push(List *list) {
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? 2 * list->capacity : 8;
        if (capacity > SIZE_MAX / list->size)
            fail("out of memory");
        char *items = realloc(list->items, capacity * list->size);
        if (items == NULL)
            fail("out of memory");
        if (list->items != NULL)
            request.blocks[list->slot] = items;
        else
            list->slot = keep(items);
        list->items = items;
        list->capacity = capacity;
    }
    return list->items + list->size * list->count++;
}

/* --- JSON ------------------------------------------------------------------------------------ */

enum { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

typedef struct Json Json;
typedef struct Member Member;
struct Json {
    int type;
    bool integer;  /* a number written without a fraction or an exponent */
    size_t length; /* a string's bytes, an array's items, an object's members, a number's characters */
    double number;
    union {
        const char *text; /* a string (UTF-8, NUL-terminated), or a number as it was written */
        Json *items;
        Member *members;
    } as;
};
struct Member {
    const char *key;
    size_t key_length;
    Json value;
};

typedef struct {
    const char *at, *start, *end; /* *end is a NUL: strtod stops there */
} Parser;

enum { MAX_DEPTH = 1000 };

static _Noreturn void syntax_error(const Parser *p, const char *what) {
    fail("the line is not JSON: %s at byte %zu", what, (size_t)(p->at - p->start));
}

static void skip_space(Parser *p) {
    while (p->at < p->end && (*p->at == ' ' || *p->at == '\t' || *p->at == '\n' || *p->at == '\r'))
        p->at++;
}

static bool next_is(const Parser *p, char c) { return p->at < p->end && *p->at == c; }

static bool next_is_digit(const Parser *p) { return p->at < p->end && *p->at >= '0' && *p->at <= '9'; }

static bool take_word(Parser *p, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(p->end - p->at) < n || memcmp(p->at, word, n) != 0)
        return false;
    p->at += n;
    return true;
}

/* The length of the valid UTF-8 sequence at s (at most left bytes), or 0. */
static size_t utf8_length(const unsigned char *s, size_t left) {
    unsigned long code, least;
    size_t n;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        n = 2, code = s[0] & 0x1Fu, least = 0x80;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3, code = s[0] & 0x0Fu, least = 0x800;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        n = 4, code = s[0] & 0x07u, least = 0x10000;
    else
        return 0;
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        code = code << 6 | (s[i] & 0x3Fu);
    }
    if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
        return 0;
    return n;
}

static unsigned long hex4(Parser *p) {
    unsigned long value = 0;
    for (int i = 0; i < 4; i++, p->at++) {
        char c = p->at < p->end ? *p->at : 0;
        int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (digit < 0)
            syntax_error(p, "a \\u escape without four hex digits");
        value = value << 4 | (unsigned long)digit;
    }
    return value;
}

static char *put_utf8(char *out, unsigned long code) {
    if (code < 0x80) {
        *out++ = (char)code;
    } else if (code < 0x800) {
        *out++ = (char)(0xC0 | code >> 6);
        *out++ = (char)(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
        *out++ = (char)(0xE0 | code >> 12);
        *out++ = (char)(0x80 | (code >> 6 & 0x3F));
        *out++ = (char)(0x80 | (code & 0x3F));
    } else {
        *out++ = (char)(0xF0 | code >> 18);
        *out++ = (char)(0x80 | (code >> 12 & 0x3F));
        *out++ = (char)(0x80 | (code >> 6 & 0x3F));
        *out++ = (char)(0x80 | (code & 0x3F));
    }
    return out;
}

/* The string at p (its opening quote), unescaped, NUL-terminated; its length in *length. */
static const char *parse_string(Parser *p, size_t *length) {
    const char *scan = ++p->at;
    while (scan < p->end && *scan != '"')
        scan += *scan == '\\' ? 2 : 1;
    char *text = allocate((size_t)(scan - p->at) + 2, 1); /* escapes only shrink */
    char *out = text;
    for (;;) {
        if (p->at >= p->end)
            syntax_error(p, "an unterminated string");
        unsigned char c = (unsigned char)*p->at;
        if (c == '"') {
            p->at++;
            break;
        }
        if (c < 0x20)
            syntax_error(p, "a control character in a string");
        if (c != '\\') {
            size_t n = utf8_length((const unsigned char *)p->at, (size_t)(p->end - p->at));
            if (n == 0)
                syntax_error(p, "a string that is not UTF-8");
            memcpy(out, p->at, n);
            out += n;
            p->at += n;
            continue;
        }
        p->at++;
        char escape = p->at < p->end ? *p->at : 0;
        p->at++;
        switch (escape) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '/': *out++ = '/'; break;
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u': {
            unsigned long code = hex4(p);
            if (code >= 0xD800 && code <= 0xDBFF && take_word(p, "\\u")) {
                unsigned long low = hex4(p);
                if (low < 0xDC00 || low > 0xDFFF)
                    syntax_error(p, "a lone surrogate in a string");
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
            } else if (code >= 0xD800 && code <= 0xDFFF) {
                syntax_error(p, "a lone surrogate in a string");
            }
            out = put_utf8(out, code);
            break;
        }
        default:
            p->at -= 2;
            syntax_error(p, "an unknown escape in a string");
        }
    }
    *out = 0;
    *length = (size_t)(out - text);
    return text;
}

static void parse_number(Parser *p, Json *out) {
    const char *start = p->at;
    bool integer = true;
    if (next_is(p, '-'))
        p->at++;
    if (next_is(p, '0'))
        p->at++;
    else if (next_is_digit(p))
        while (next_is_digit(p))
            p->at++;
    else
        syntax_error(p, "an unexpected character");
    if (next_is(p, '.')) {
        integer = false;
        p->at++;
        if (!next_is_digit(p))
            syntax_error(p, "a number without digits after its '.'");
        while (next_is_digit(p))
            p->at++;
    }
    if (next_is(p, 'e') || next_is(p, 'E')) {
        integer = false;
        p->at++;
        if (next_is(p, '+') || next_is(p, '-'))
            p->at++;
        if (!next_is_digit(p))
            syntax_error(p, "a number without digits in its exponent");
        while (next_is_digit(p))
            p->at++;
    }
    out->type = JSON_NUMBER;
    out->integer = integer;
    out->as.text = start;
    out->length = (size_t)(p->at - start);
    /* A JSON number is a valid strtod number, read correctly rounded (and never in a locale's
     * format: this program stays in the "C" locale). What strtod would read beyond it is an error
     * of the line anyway. */
    out->number = strtod(start, NULL);
}

static void parse_value(Parser *p, Json *out, int depth) {
    memset(out, 0, sizeof *out);
    skip_space(p);
    if (depth > MAX_DEPTH)
        syntax_error(p, "arrays or objects nested too deeply");
    if (p->at >= p->end)
        syntax_error(p, "a missing value");
    if (*p->at == '{') {
        List members = {.size = sizeof(Member)};
        p->at++;
        skip_space(p);
        if (next_is(p, '}'))
            p->at++;
        else
            for (;;) {
                skip_space(p);
                if (!next_is(p, '"'))
                    syntax_error(p, "a missing key");
                Member *m = list_push(&members);
                m->key = parse_string(p, &m->key_length);
                skip_space(p);
                if (!next_is(p, ':'))
                    syntax_error(p, "a missing ':'");
                p->at++;
                parse_value(p, &m->value, depth + 1);
                skip_space(p);
                if (next_is(p, ',')) {
                    p->at++;
                    continue;
                }
                if (!next_is(p, '}'))
                    syntax_error(p, "a missing ',' or '}'");
                p->at++;
                break;
            }
        out->type = JSON_OBJECT;
        out->as.members = (Member *)(void *)members.items;
        out->length = members.count;
    } else if (*p->at == '[') {
        List items = {.size = sizeof(Json)};
        p->at++;
        skip_space(p);
        if (next_is(p, ']'))
            p->at++;
        else
            for (;;) {
                parse_value(p, list_push(&items), depth + 1);
                skip_space(p);
                if (next_is(p, ',')) {
                    p->at++;
                    continue;
                }
                if (!next_is(p, ']'))
                    syntax_error(p, "a missing ',' or ']'");
                p->at++;
                break;
            }
        out->type = JSON_ARRAY;
        out->as.items = (Json *)(void *)items.items;
        out->length = items.count;
    } else if (*p->at == '"') {
        out->type = JSON_STRING;
        out->as.text = parse_string(p, &out->length);
    } else if (take_word(p, "true")) {
        out->type = JSON_TRUE;
    } else if (take_word(p, "false")) {
        out->type = JSON_FALSE;
    } else if (take_word(p, "null")) {
        out->type = JSON_NULL;
    } else {
        parse_number(p, out);
    }
}

/* One line of JSON; text[length] must be a NUL. */
static void parse_document(const char *text, size_t length, Json *out) {
    Parser p = {text, text, text + length};
    parse_value(&p, out, 0);
    skip_space(&p);
    if (p.at != p.end)
        syntax_error(&p, "more after the value");
}

/* An object's member (the last one of that name, as Python's json reads it), or NULL. */
static const Json *member(const Json *object, const char *key) {
    size_t n = strlen(key);
    for (size_t i = object->length; i-- > 0;) {
        const Member *m = &object->as.members[i];
        if (m->key_length == n && memcmp(m->key, key, n) == 0)
            return &m->value;
    }
    return NULL;
}

static bool is_string(const Json *value, const char *text) {
    return value->type == JSON_STRING && value->length == strlen(text) && memcmp(value->as.text, text, value->length) == 0;
}

/* Whether the space-separated words hold word (n bytes). */
static bool has_word(const char *words, const char *word, size_t n) {
    for (const char *w = words; *w;) {
        size_t length = strcspn(w, " ");
        if (length == n && memcmp(w, word, n) == 0)
            return true;
        w += length + (w[length] == ' ');
    }
    return false;
}

/* The reply being written: a result is written here first, so that an error found on the way
 * replaces it whole. */
typedef struct {
    char *text;
    size_t length, capacity;
} Buffer;

static Buffer reply, line;

static bool reserve(Buffer *b, size_t more) {
    if (more >= SIZE_MAX - b->length)
        return false;
    if (b->length + more < b->capacity)
        return true;
    size_t capacity = b->capacity ? b->capacity : 4096;
    while (capacity <= b->length + more)
        capacity = capacity > SIZE_MAX / 2 ? SIZE_MAX : 2 * capacity;
    char *text = realloc(b->text, capacity);
    if (text == NULL)
        return false;
    b->text = text;
    b->capacity = capacity;
    return true;
}

static void put(const char *text, size_t n) {
    if (!reserve(&reply, n))
        fail("out of memory");
    memcpy(reply.text + reply.length, text, n);
    reply.length += n;
}

static void put_text(const char *text) { put(text, strlen(text)); }

/* A number, so that it reads back exactly: the shortest of %.15g, %.16g and %.17g that does
 * (%.17g always does; each is valid JSON, 1e+300 included), and the non-finite ones as the strings
 * "nan", "inf" and "-inf". A float32 result is written as its value, which a double holds exactly. */
static void put_number(double x) {
    char text[40];
    if (isnan(x)) {
        put_text("\"nan\"");
    } else if (isinf(x)) {
        put_text(x > 0 ? "\"inf\"" : "\"-inf\"");
    } else if (x == 0) {
        put_text(signbit(x) ? "-0.0" : "0.0");
    } else {
        for (int digits = 15; digits <= 17; digits++) {
            snprintf(text, sizeof text, "%.*g", digits, x);
            if (strtod(text, NULL) == x)
                break;
        }
        if (strpbrk(text, ".e") == NULL)
            strcat(text, ".0"); /* 1.0, not 1: a float in every JSON reader, as Python's repr writes it */
        put_text(text);
    }
}

/* A string in JSON on stdout: escaped, and any byte that is not UTF-8 written as '?'. */
static void print_string(const char *text) {
    const unsigned char *s = (const unsigned char *)text;
    putchar('"');
    while (*s) {
        if (*s == '"' || *s == '\\') {
            putchar('\\');
            putchar(*s++);
        } else if (*s < 0x20) {
            printf("\\u%04x", (unsigned)*s++);
        } else {
            size_t n = utf8_length(s, strlen((const char *)s));
            if (n == 0) {
                putchar('?');
                s++;
            } else {
                fwrite(s, 1, n, stdout);
                s += n;
            }
        }
    }
    putchar('"');
}

/* --- arrays and hyperparameters -------------------------------------------------------------- */

/* An array of the protocol: {"dtype", "shape", "data"}. Its entries are kept as doubles; those of a
 * float32 array are float values (exactly), and an op on float32 arrays reads them as floats. */
typedef struct {
    bool f32;
    size_t ndim, n; /* n: the number of entries, the product of the shape */
    size_t *shape;
    double *data; /* C order */
} Array;

static const char *shape_text(const Array *a, char *text, size_t size) {
    int k = snprintf(text, size, "(");
    for (size_t i = 0; i < a->ndim && k >= 0 && (size_t)k < size; i++)
        k += snprintf(text + k, size - (size_t)k, i ? ", %zu" : "%zu", a->shape[i]);
    if (k >= 0 && (size_t)k < size)
        snprintf(text + k, size - (size_t)k, a->ndim == 1 ? ",)" : ")");
    return text;
}

static const Json *require(const Json *args, const char *name) {
    const Json *value = member(args, name);
    if (value == NULL)
        fail("missing argument %s", name);
    return value;
}

static Array array_of(const Json *value, const char *name) {
    Array a = {0};
    const Json *dtype, *shape, *data;
    bool keys_ok = value->type == JSON_OBJECT;
    for (size_t i = 0; keys_ok && i < value->length; i++)
        keys_ok = has_word("dtype shape data", value->as.members[i].key, value->as.members[i].key_length);
    if (!keys_ok || (dtype = member(value, "dtype")) == NULL || (shape = member(value, "shape")) == NULL
        || (data = member(value, "data")) == NULL)
        fail("%s must be an array, {\"dtype\", \"shape\", \"data\"}", name);
    if (is_string(dtype, "float32"))
        a.f32 = true;
    else if (!is_string(dtype, "float64"))
        fail("%s: an array's dtype must be \"float64\" or \"float32\"", name);
    if (shape->type != JSON_ARRAY)
        fail("%s: an array's shape must be a list of sizes", name);
    a.ndim = shape->length;
    a.shape = allocate(a.ndim, sizeof *a.shape);
    a.n = 1;
    for (size_t i = 0; i < a.ndim; i++) {
        const Json *size = &shape->as.items[i];
        if (size->type != JSON_NUMBER || !size->integer || size->as.text[0] == '-' || size->number > 1e15)
            fail("%s: an array's shape must be a list of sizes", name);
        a.shape[i] = (size_t)size->number;
        if (a.shape[i] != 0 && a.n > SIZE_MAX / sizeof(double) / a.shape[i])
            fail("%s: shape too large", name);
        a.n *= a.shape[i];
    }
    if (data->type != JSON_ARRAY || data->length != a.n) {
        char text[64];
        fail("%s: an array of shape %s needs %zu numbers in data", name, shape_text(&a, text, sizeof text), a.n);
    }
    a.data = allocate(a.n, sizeof *a.data);
    for (size_t i = 0; i < a.n; i++) {
        const Json *x = &data->as.items[i];
        double number;
        if (x->type == JSON_NUMBER)
            number = x->number;
        else if (is_string(x, "nan"))
            number = NAN;
        else if (is_string(x, "inf"))
            number = INFINITY;
        else if (is_string(x, "-inf"))
            number = -INFINITY;
        else
            fail("%s: data[%zu] is not a number (nor \"nan\", \"inf\", \"-inf\")", name, i);
        a.data[i] = a.f32 ? (double)(float)number : number; /* as NumPy's astype(float32) rounds it */
    }
    return a;
}

static Array array_arg(const Json *args, const char *name) { return array_of(require(args, name), name); }

/* A new array of a's shape, zeros, float32 if f32. */
static Array zeros_like(const Array *a, bool f32) {
    Array out = *a;
    out.f32 = f32;
    out.data = allocate(a->n, sizeof *out.data);
    memset(out.data, 0, a->n * sizeof *out.data);
    return out;
}

static Array copy_of(const Array *a, bool f32) {
    Array out = zeros_like(a, f32);
    memcpy(out.data, a->data, a->n * sizeof *out.data);
    return out;
}

static void same_shape(const Array *a, const char *a_name, const Array *b, const char *b_name) {
    char a_text[64], b_text[64];
    bool same = a->ndim == b->ndim;
    for (size_t i = 0; same && i < a->ndim; i++)
        same = a->shape[i] == b->shape[i];
    if (!same)
        fail("%s has shape %s but %s has shape %s; the shapes must be the same (no broadcasting)", a_name,
             shape_text(a, a_text, sizeof a_text), b_name, shape_text(b, b_text, sizeof b_text));
}

static void put_array(const Array *a) {
    char text[32];
    put_text(a->f32 ? "{\"dtype\":\"float32\",\"shape\":[" : "{\"dtype\":\"float64\",\"shape\":[");
    for (size_t i = 0; i < a->ndim; i++) {
        snprintf(text, sizeof text, i ? ",%zu" : "%zu", a->shape[i]);
        put_text(text);
    }
    put_text("],\"data\":[");
    for (size_t i = 0; i < a->n; i++) {
        if (i)
            put(",", 1);
        put_number(a->data[i]);
    }
    put_text("]}");
}

/* The hyperparameters' domains, as gradspec's spec has them. */
static const struct {
    const char *name;
    double low, high;
    bool low_closed, high_closed;
    const char *text;
} DOMAINS[] = {
    {"learning_rate", 0, INFINITY, true, false, "in [0, inf)"},
    {"learning_rate0", 0, INFINITY, true, false, "in [0, inf)"},
    {"beta", 0, 1, true, false, "in [0, 1)"},
    {"beta1", 0, 1, true, false, "in [0, 1)"},
    {"beta2", 0, 1, true, false, "in [0, 1)"},
    {"epsilon", 0, INFINITY, false, false, "in (0, inf)"},
    {"decay_rate", 0, INFINITY, true, false, "in [0, inf)"},
    {"time_interval", 0, INFINITY, false, false, "in (0, inf)"},
    {"epoch_num", 0, INFINITY, true, false, "in [0, inf)"},
    {"k", 0, INFINITY, false, false, "in (0, inf)"},
    {"alpha", 0, 1, true, false, "in [0, 1)"},
    {"weight_decay", 0, INFINITY, true, false, "in [0, inf)"},
    {"schedule_multiplier", 0, INFINITY, true, false, "in [0, inf)"},
};

static double hyperparameter_of(const Json *value, const char *name) {
    if (value->type != JSON_NUMBER)
        fail("%s must be a real number (a JSON number)", name);
    double x = value->number;
    if (!isfinite(x))
        fail("%s must be finite", name);
    for (size_t i = 0; i < sizeof DOMAINS / sizeof DOMAINS[0]; i++)
        if (strcmp(DOMAINS[i].name, name) == 0
            && (x < DOMAINS[i].low || (x == DOMAINS[i].low && !DOMAINS[i].low_closed)
                || x > DOMAINS[i].high || (x == DOMAINS[i].high && !DOMAINS[i].high_closed)))
            fail("%s must be %s; got %.17g", name, DOMAINS[i].text, x);
    return x;
}

static double hyperparameter(const Json *args, const char *name) {
    return hyperparameter_of(require(args, name), name);
}

/* Adam's step number t: an integer >= 1 (a JSON number written as an integer). */
static double step_number(const Json *args) {
    const Json *t = require(args, "t");
    if (t->type != JSON_NUMBER || !t->integer)
        fail("t must be an integer (t counts the steps taken, starting at 1 on the first update)");
    if (t->number < 1)
        fail("t must be an integer >= 1; got %.17g", t->number);
    return t->number;
}

/* --- the ops --------------------------------------------------------------------------------- */

/* Runs the statements with T = float where f32 (the op's arrays are float32), else T = double.
 * The <tgmath.h> functions and the arithmetic then compute in T, as long as what is mixed with a T
 * is a T or an integer (a double such as 1.0 or a hyperparameter would make it double): NumPy rounds
 * a Python float to float32 where it meets a float32 array, and so do the (T) casts here. */
#define IN_PRECISION(f32, ...)                                                                     \
    do {                                                                                           \
        if (f32) {                                                                                 \
            typedef float T;                                                                       \
            (void)sizeof(T);                                                                       \
            __VA_ARGS__                                                                            \
        } else {                                                                                   \
            typedef double T;                                                                      \
            (void)sizeof(T);                                                                       \
            __VA_ARGS__                                                                            \
        }                                                                                          \
    } while (0)

/* The sum of n numbers as NumPy adds them: pairwise, in blocks of 8, in float or in double. */
#define DEFINE_PAIRWISE_SUM(NAME, T)                                                               \
    static T NAME(const T *x, size_t n) {                                                          \
        if (n < 8) {                                                                               \
            T sum = 0;                                                                             \
            for (size_t i = 0; i < n; i++)                                                         \
                sum += x[i];                                                                       \
            return sum;                                                                            \
        }                                                                                          \
        if (n <= 128) {                                                                            \
            T r[8];                                                                                \
            size_t i;                                                                              \
            for (i = 0; i < 8; i++)                                                                \
                r[i] = x[i];                                                                       \
            for (i = 8; i < n - n % 8; i += 8)                                                     \
                for (size_t j = 0; j < 8; j++)                                                     \
                    r[j] += x[i + j];                                                              \
            T sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));             \
            for (; i < n; i++)                                                                     \
                sum += x[i];                                                                       \
            return sum;                                                                            \
        }                                                                                          \
        size_t half = n / 2;                                                                       \
        half -= half % 8;                                                                          \
        return NAME(x, half) + NAME(x + half, n - half);                                           \
    }
DEFINE_PAIRWISE_SUM(sum_float, float)
DEFINE_PAIRWISE_SUM(sum_double, double)
#define SUM(x, n) _Generic(*(x), float: sum_float, default: sum_double)((x), (n))

/* sigma(z) as the reference's kernel: 1/(1 + e^-|z|) for z >= 0, e^-|z|/(1 + e^-|z|) below. */
#define SIGMOID(T, z, out)                                                                         \
    do {                                                                                           \
        T x0_ = exp(-fabs(z)), x1_ = 1 / (x0_ + 1);                                                \
        (out) = (z) >= 0 ? x1_ : x0_ * x1_;                                                        \
    } while (0)

/* The entry i of array a, read as a T. */
#define AT(a, i) ((T)(a).data[i])

/* One step of each rule, in place on w and the state (v, s). They are written as the reference's
 * kernels are: w' = -g lr + w, ewa(v, x, b) = b v + x (1 - b), and so on. */

static void gd_update(Array *w, const Array *g, double learning_rate, bool f32) {
    IN_PRECISION(f32, {
        T lr = (T)learning_rate;
        for (size_t i = 0; i < w->n; i++)
            w->data[i] = -AT(*g, i) * lr + AT(*w, i);
    });
}

static void momentum_update(Array *w, const Array *g, Array *v, double beta, double learning_rate, bool f32) {
    IN_PRECISION(f32, {
        T b = (T)beta, one_minus_b = (T)(1 - beta), lr = (T)learning_rate;
        for (size_t i = 0; i < w->n; i++) {
            T v1 = b * AT(*v, i) + AT(*g, i) * one_minus_b;
            v->data[i] = v1;
            w->data[i] = -lr * v1 + AT(*w, i);
        }
    });
}

static void rmsprop_update(Array *w, const Array *g, Array *s, double beta2, double learning_rate, double epsilon,
                           bool f32) {
    IN_PRECISION(f32, {
        T b2 = (T)beta2, one_minus_b2 = (T)(1 - beta2), lr = (T)learning_rate, eps = (T)epsilon;
        for (size_t i = 0; i < w->n; i++) {
            T gi = AT(*g, i), s1 = b2 * AT(*s, i) + (gi * gi) * one_minus_b2;
            s->data[i] = s1;
            w->data[i] = -gi * lr / sqrt(eps + s1) + AT(*w, i);
        }
    });
}

/* Adam's second moment is divided by 1 - beta2^t; the bug build divides it by 1 - beta1^t. */
static double second_moment_correction(double beta1, double beta2, double t) {
#ifdef ADAM_BUG
    (void)beta2;
    return 1 - pow(beta1, t);
#else
    (void)beta1;
    return 1 - pow(beta2, t);
#endif
}

static void adam_update(Array *w, const Array *g, Array *v, Array *s, double t, double learning_rate, double beta1,
                        double beta2, double epsilon, bool f32) {
    double correction1 = 1 - pow(beta1, t), correction2 = second_moment_correction(beta1, beta2, t);
    IN_PRECISION(f32, {
        T b1 = (T)beta1, one_minus_b1 = (T)(1 - beta1), b2 = (T)beta2, one_minus_b2 = (T)(1 - beta2);
        T lr = (T)learning_rate, eps = (T)epsilon, c1 = (T)correction1, c2 = (T)correction2;
        for (size_t i = 0; i < w->n; i++) {
            T gi = AT(*g, i);
            T v1 = b1 * AT(*v, i) + gi * one_minus_b1, s1 = b2 * AT(*s, i) + (gi * gi) * one_minus_b2;
            T v_hat = v1 / c1, s_hat = s1 / c2;
            v->data[i] = v1;
            s->data[i] = s1;
            w->data[i] = -lr * v_hat / (eps + sqrt(s_hat)) + AT(*w, i);
        }
    });
}

/* Beyond the course, in their canonical dialects: Nesterov (lr outside the velocity), AMSGrad (the
 * max of the uncorrected s), centered RMSProp (epsilon under the root), RMSProp with momentum
 * (epsilon under the root, lr outside the buffer), Adagrad (s from 0, epsilon outside the root) and
 * weight decay as L2 (g + lambda w, then the rule's own step). */
static void nesterov_update(Array *w, const Array *g, Array *v, double beta, double learning_rate, bool f32) {
    IN_PRECISION(f32, {
        T b = (T)beta, lr = (T)learning_rate;
        for (size_t i = 0; i < w->n; i++) {
            T gi = AT(*g, i), v1 = b * AT(*v, i) + gi;
            v->data[i] = v1;
            w->data[i] = -lr * (b * v1 + gi) + AT(*w, i);
        }
    });
}

static void amsgrad_update(Array *w, const Array *g, Array *v, Array *s, Array *s_max, double t, double learning_rate,
                           double beta1, double beta2, double epsilon, bool f32) {
    double correction1 = 1 - pow(beta1, t), correction2 = 1 - pow(beta2, t);
    IN_PRECISION(f32, {
        T b1 = (T)beta1, one_minus_b1 = (T)(1 - beta1), b2 = (T)beta2, one_minus_b2 = (T)(1 - beta2);
        T lr = (T)learning_rate, eps = (T)epsilon, c1 = (T)correction1, c2 = (T)correction2;
        for (size_t i = 0; i < w->n; i++) {
            T gi = AT(*g, i);
            T v1 = b1 * AT(*v, i) + gi * one_minus_b1, s1 = b2 * AT(*s, i) + (gi * gi) * one_minus_b2;
            T m = AT(*s_max, i) > s1 ? AT(*s_max, i) : s1;
            v->data[i] = v1;
            s->data[i] = s1;
            s_max->data[i] = m;
            w->data[i] = -lr * (v1 / c1) / (eps + sqrt(m / c2)) + AT(*w, i);
        }
    });
}

static void rmsprop_centered_update(Array *w, const Array *g, Array *s, Array *g_bar, double beta2,
                                    double learning_rate, double epsilon, bool f32) {
    IN_PRECISION(f32, {
        T b2 = (T)beta2, one_minus_b2 = (T)(1 - beta2), lr = (T)learning_rate, eps = (T)epsilon;
        for (size_t i = 0; i < w->n; i++) {
            T gi = AT(*g, i), s1 = b2 * AT(*s, i) + (gi * gi) * one_minus_b2;
            T m1 = b2 * AT(*g_bar, i) + gi * one_minus_b2;
            s->data[i] = s1;
            g_bar->data[i] = m1;
            T var = s1 - m1 * m1;  /* the variance first: epsilon added to -m1^2 would be lost */
            if (var < 0) var = 0;    /* a few ulps below 0 from rounding */
            w->data[i] = -lr * gi / sqrt(eps + var) + AT(*w, i);
        }
    });
}

static void rmsprop_momentum_update(Array *w, const Array *g, Array *s, Array *v, double beta2, double beta,
                                    double learning_rate, double epsilon, bool f32) {
    IN_PRECISION(f32, {
        T b2 = (T)beta2, one_minus_b2 = (T)(1 - beta2), b = (T)beta, lr = (T)learning_rate, eps = (T)epsilon;
        for (size_t i = 0; i < w->n; i++) {
            T gi = AT(*g, i), s1 = b2 * AT(*s, i) + (gi * gi) * one_minus_b2;
            T v1 = b * AT(*v, i) + gi / sqrt(eps + s1);
            s->data[i] = s1;
            v->data[i] = v1;
            w->data[i] = -lr * v1 + AT(*w, i);
        }
    });
}

static void adagrad_update(Array *w, const Array *g, Array *s, double learning_rate, double epsilon, bool f32) {
    IN_PRECISION(f32, {
        T lr = (T)learning_rate, eps = (T)epsilon;
        for (size_t i = 0; i < w->n; i++) {
            T gi = AT(*g, i), s1 = gi * gi + AT(*s, i);
            s->data[i] = s1;
            w->data[i] = -gi * lr / (eps + sqrt(s1)) + AT(*w, i);
        }
    });
}

/* L2 weight decay, in place on a copy of the gradient: g' = g + w lambda. As the reference, a zero
 * lambda leaves g as it is (g + w 0 would be NaN at an infinite w). */
static void weight_decay_l2_gradient(Array *g, const Array *w, double weight_decay, bool f32) {
    if (weight_decay == 0)
        return;
    IN_PRECISION(f32, {
        T decay = (T)weight_decay;
        for (size_t i = 0; i < g->n; i++)
            g->data[i] = AT(*g, i) + AT(*w, i) * decay;
    });
}

static void put_field(const char *key, const Array *a) {
    put_text(key);
    put_array(a);
}

static void op_gd_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g");
    same_shape(&g, "g", &w, "w");
    double lr = hyperparameter(args, "learning_rate");
    bool f32 = w.f32 && g.f32;
    Array w1 = copy_of(&w, f32);
    gd_update(&w1, &g, lr, f32);
    put_field("{\"w\":", &w1);
    put_text("}");
}

static void op_momentum_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), v = array_arg(args, "v");
    same_shape(&g, "g", &w, "w");
    same_shape(&v, "v", &w, "w");
    double beta = hyperparameter(args, "beta"), lr = hyperparameter(args, "learning_rate");
    bool f32 = w.f32 && g.f32 && v.f32;
    Array w1 = copy_of(&w, f32), v1 = copy_of(&v, f32);
    momentum_update(&w1, &g, &v1, beta, lr, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"v\":", &v1);
    put_text("}");
}

static void op_rmsprop_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), s = array_arg(args, "s");
    same_shape(&g, "g", &w, "w");
    same_shape(&s, "s", &w, "w");
    double beta2 = hyperparameter(args, "beta2"), lr = hyperparameter(args, "learning_rate");
    double epsilon = hyperparameter(args, "epsilon");
    bool f32 = w.f32 && g.f32 && s.f32;
    Array w1 = copy_of(&w, f32), s1 = copy_of(&s, f32);
    rmsprop_update(&w1, &g, &s1, beta2, lr, epsilon, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"s\":", &s1);
    put_text("}");
}

static void op_adam_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), v = array_arg(args, "v"), s = array_arg(args, "s");
    same_shape(&g, "g", &w, "w");
    same_shape(&v, "v", &w, "w");
    same_shape(&s, "s", &w, "w");
    double t = step_number(args), lr = hyperparameter(args, "learning_rate");
    double beta1 = hyperparameter(args, "beta1"), beta2 = hyperparameter(args, "beta2");
    double epsilon = hyperparameter(args, "epsilon");
    bool f32 = w.f32 && g.f32 && v.f32 && s.f32;
    Array w1 = copy_of(&w, f32), v1 = copy_of(&v, f32), s1 = copy_of(&s, f32);
    adam_update(&w1, &g, &v1, &s1, t, lr, beta1, beta2, epsilon, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"v\":", &v1);
    put_field(",\"s\":", &s1);
    put_text("}");
}

static void op_nesterov_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), v = array_arg(args, "v");
    same_shape(&g, "g", &w, "w");
    same_shape(&v, "v", &w, "w");
    double beta = hyperparameter(args, "beta"), lr = hyperparameter(args, "learning_rate");
    bool f32 = w.f32 && g.f32 && v.f32;
    Array w1 = copy_of(&w, f32), v1 = copy_of(&v, f32);
    nesterov_update(&w1, &g, &v1, beta, lr, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"v\":", &v1);
    put_text("}");
}

static void op_amsgrad_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), v = array_arg(args, "v"), s = array_arg(args, "s");
    Array s_max = array_arg(args, "s_max");
    same_shape(&g, "g", &w, "w");
    same_shape(&v, "v", &w, "w");
    same_shape(&s, "s", &w, "w");
    same_shape(&s_max, "s_max", &w, "w");
    double t = step_number(args), lr = hyperparameter(args, "learning_rate");
    double beta1 = hyperparameter(args, "beta1"), beta2 = hyperparameter(args, "beta2");
    double epsilon = hyperparameter(args, "epsilon");
    bool f32 = w.f32 && g.f32 && v.f32 && s.f32 && s_max.f32;
    Array w1 = copy_of(&w, f32), v1 = copy_of(&v, f32), s1 = copy_of(&s, f32), m1 = copy_of(&s_max, f32);
    amsgrad_update(&w1, &g, &v1, &s1, &m1, t, lr, beta1, beta2, epsilon, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"v\":", &v1);
    put_field(",\"s\":", &s1);
    put_field(",\"s_max\":", &m1);
    put_text("}");
}

static void op_rmsprop_centered_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), s = array_arg(args, "s");
    Array g_bar = array_arg(args, "g_bar");
    same_shape(&g, "g", &w, "w");
    same_shape(&s, "s", &w, "w");
    same_shape(&g_bar, "g_bar", &w, "w");
    double beta2 = hyperparameter(args, "beta2"), lr = hyperparameter(args, "learning_rate");
    double epsilon = hyperparameter(args, "epsilon");
    bool f32 = w.f32 && g.f32 && s.f32 && g_bar.f32;
    Array w1 = copy_of(&w, f32), s1 = copy_of(&s, f32), m1 = copy_of(&g_bar, f32);
    rmsprop_centered_update(&w1, &g, &s1, &m1, beta2, lr, epsilon, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"s\":", &s1);
    put_field(",\"g_bar\":", &m1);
    put_text("}");
}

static void op_rmsprop_momentum_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), s = array_arg(args, "s"), v = array_arg(args, "v");
    same_shape(&g, "g", &w, "w");
    same_shape(&s, "s", &w, "w");
    same_shape(&v, "v", &w, "w");
    double beta2 = hyperparameter(args, "beta2"), beta = hyperparameter(args, "beta");
    double lr = hyperparameter(args, "learning_rate"), epsilon = hyperparameter(args, "epsilon");
    bool f32 = w.f32 && g.f32 && s.f32 && v.f32;
    Array w1 = copy_of(&w, f32), s1 = copy_of(&s, f32), v1 = copy_of(&v, f32);
    rmsprop_momentum_update(&w1, &g, &s1, &v1, beta2, beta, lr, epsilon, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"s\":", &s1);
    put_field(",\"v\":", &v1);
    put_text("}");
}

static void op_adagrad_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), s = array_arg(args, "s");
    same_shape(&g, "g", &w, "w");
    same_shape(&s, "s", &w, "w");
    double lr = hyperparameter(args, "learning_rate"), epsilon = hyperparameter(args, "epsilon");
    bool f32 = w.f32 && g.f32 && s.f32;
    Array w1 = copy_of(&w, f32), s1 = copy_of(&s, f32);
    adagrad_update(&w1, &g, &s1, lr, epsilon, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"s\":", &s1);
    put_text("}");
}

/* Adam with L2 weight decay: Adam's own step (the bug build's too) on g + lambda w. The schedule
 * multiplier is only the paper's form's; it is checked and not used. */
static void op_adam_weight_decay_step(const Json *args) {
    Array w = array_arg(args, "w"), g = array_arg(args, "g"), v = array_arg(args, "v"), s = array_arg(args, "s");
    same_shape(&g, "g", &w, "w");
    same_shape(&v, "v", &w, "w");
    same_shape(&s, "s", &w, "w");
    double weight_decay = hyperparameter(args, "weight_decay");
    (void)hyperparameter(args, "schedule_multiplier");
    double t = step_number(args), lr = hyperparameter(args, "learning_rate");
    double beta1 = hyperparameter(args, "beta1"), beta2 = hyperparameter(args, "beta2");
    double epsilon = hyperparameter(args, "epsilon");
    bool f32 = w.f32 && g.f32 && v.f32 && s.f32;
    Array g1 = copy_of(&g, f32), w1 = copy_of(&w, f32), v1 = copy_of(&v, f32), s1 = copy_of(&s, f32);
    weight_decay_l2_gradient(&g1, &w, weight_decay, f32);
    adam_update(&w1, &g1, &v1, &s1, t, lr, beta1, beta2, epsilon, f32);
    put_field("{\"w\":", &w1);
    put_field(",\"v\":", &v1);
    put_field(",\"s\":", &s1);
    put_text("}");
}

/* The parameters after each step from a fresh state (zeros; Adam counts t = 1, 2, ...). */
static void op_trajectory(const Json *args) {
    static const struct {
        const char *name, *hyperparameters; /* the rule's, of beta beta1 beta2 epsilon */
    } RULES[] = {{"gd", ""}, {"momentum", "beta"}, {"rmsprop", "beta2 epsilon"}, {"adam", "beta1 beta2 epsilon"}};
    static const char *const HYPERPARAMETERS[] = {"beta", "beta1", "beta2", "epsilon"};
    const Json *rule_value = require(args, "rule");
    size_t rule = 0;
    while (rule < 4 && !is_string(rule_value, RULES[rule].name))
        rule++;
    if (rule == 4)
        fail("rule must be one of ['adam', 'gd', 'momentum', 'rmsprop']");
    for (size_t i = 0; i < 4; i++) {
        const char *name = HYPERPARAMETERS[i];
        if (has_word(RULES[rule].hyperparameters, name, strlen(name)) != (member(args, name) != NULL))
            fail("%s takes the hyperparameters [%s] (and learning_rate)", RULES[rule].name,
                 RULES[rule].hyperparameters);
    }
    Array w = array_arg(args, "w");
    const Json *grads_value = require(args, "grads");
    if (grads_value->type != JSON_ARRAY || grads_value->length == 0)
        fail("grads must be a non-empty list of gradients, one per step, each the shape of w");
    size_t steps = grads_value->length;
    Array *grads = allocate(steps, sizeof *grads);
    bool f32 = w.f32;
    for (size_t k = 0; k < steps; k++) {
        char name[48];
        snprintf(name, sizeof name, "grads[%zu]", k);
        grads[k] = array_of(&grads_value->as.items[k], name);
        same_shape(&grads[k], name, &w, "w");
        f32 = f32 && grads[k].f32;
    }
    const Json *rates_value = require(args, "learning_rate");
    double *rates = allocate(steps, sizeof *rates);
    if (rates_value->type == JSON_ARRAY && rates_value->length != steps)
        fail("learning_rate must be one number or one per step: %zu gradients, %zu learning rates", steps,
             rates_value->length);
    for (size_t k = 0; k < steps; k++)
        rates[k] = hyperparameter_of(rates_value->type == JSON_ARRAY ? &rates_value->as.items[k] : rates_value,
                                     "learning_rate");
    double beta = rule == 1 ? hyperparameter(args, "beta") : 0;
    double beta1 = rule == 3 ? hyperparameter(args, "beta1") : 0;
    double beta2 = rule >= 2 ? hyperparameter(args, "beta2") : 0;
    double epsilon = rule >= 2 ? hyperparameter(args, "epsilon") : 0;
    Array current = copy_of(&w, f32), v = zeros_like(&w, f32), s = zeros_like(&w, f32);
    put_text("{\"w\":[");
    for (size_t k = 0; k < steps; k++) {
        if (rule == 0)
            gd_update(&current, &grads[k], rates[k], f32);
        else if (rule == 1)
            momentum_update(&current, &grads[k], &v, beta, rates[k], f32);
        else if (rule == 2)
            rmsprop_update(&current, &grads[k], &s, beta2, rates[k], epsilon, f32);
        else
            adam_update(&current, &grads[k], &v, &s, (double)(k + 1), rates[k], beta1, beta2, epsilon, f32);
        if (k)
            put_text(",");
        put_array(&current);
    }
    put_text("]}");
}

static void op_sigmoid(const Json *args) {
    Array z = array_arg(args, "z"), out = zeros_like(&z, z.f32);
    IN_PRECISION(z.f32, {
        for (size_t i = 0; i < z.n; i++) {
            T zi = AT(z, i), a;
            SIGMOID(T, zi, a);
            out.data[i] = a;
        }
    });
    put_array(&out);
}

static void op_sigmoid_backward(const Json *args) {
    Array dA = array_arg(args, "dA"), Z = array_arg(args, "Z");
    same_shape(&dA, "dA", &Z, "Z");
    Array out = zeros_like(&Z, dA.f32 && Z.f32);
    IN_PRECISION(out.f32, {
        for (size_t i = 0; i < Z.n; i++) {
            T zi = AT(Z, i), s;
            SIGMOID(T, zi, s);
            out.data[i] = AT(dA, i) * s * (1 - s);
        }
    });
    put_array(&out);
}

static void op_tanh(const Json *args) {
    Array z = array_arg(args, "z"), out = zeros_like(&z, z.f32);
    IN_PRECISION(z.f32, {
        for (size_t i = 0; i < z.n; i++)
            out.data[i] = tanh(AT(z, i));
    });
    put_array(&out);
}

static void op_tanh_backward(const Json *args) {
    Array dA = array_arg(args, "dA"), Z = array_arg(args, "Z");
    same_shape(&dA, "dA", &Z, "Z");
    Array out = zeros_like(&Z, dA.f32 && Z.f32);
    IN_PRECISION(out.f32, {
        for (size_t i = 0; i < Z.n; i++) {
            T s = tanh(AT(Z, i));
            out.data[i] = AT(dA, i) * (1 - s * s);
        }
    });
    put_array(&out);
}

static void op_relu(const Json *args) {
    Array z = array_arg(args, "z"), out = zeros_like(&z, z.f32);
    IN_PRECISION(z.f32, {
        for (size_t i = 0; i < z.n; i++) {
            T zi = AT(z, i);
            out.data[i] = 0 >= zi ? 0 : zi; /* NumPy's maximum(0, z): NaN stays NaN */
        }
    });
    put_array(&out);
}

/* The step function H(z) (0 at 0 in the canonical dialect zero-at-zero; NaN stays NaN). */
#define RELU_GRAD(z) ((z) > 0 ? 1 : isnan(z) ? (z) : 0)

static void op_relu_grad(const Json *args) {
    Array z = array_arg(args, "z"), out = zeros_like(&z, z.f32);
    IN_PRECISION(z.f32, {
        for (size_t i = 0; i < z.n; i++) {
            T zi = AT(z, i);
            out.data[i] = RELU_GRAD(zi);
        }
    });
    put_array(&out);
}

static void op_relu_backward(const Json *args) {
    Array dA = array_arg(args, "dA"), Z = array_arg(args, "Z");
    same_shape(&dA, "dA", &Z, "Z");
    Array out = zeros_like(&Z, dA.f32 && Z.f32);
    IN_PRECISION(out.f32, {
        for (size_t i = 0; i < Z.n; i++) {
            T zi = AT(Z, i), grad = RELU_GRAD(zi);
            out.data[i] = AT(dA, i) * grad;
        }
    });
    put_array(&out);
}

static void op_leaky_relu(const Json *args) {
    Array z = array_arg(args, "z"), out = zeros_like(&z, z.f32);
    double alpha = hyperparameter(args, "alpha");
    IN_PRECISION(z.f32, {
        T a = (T)alpha;
        for (size_t i = 0; i < z.n; i++) {
            T zi = AT(z, i), az = a * zi;
            out.data[i] = zi >= az || isnan(zi) ? zi : az; /* NumPy's maximum(z, alpha z) */
        }
    });
    put_array(&out);
}

static void op_leaky_relu_grad(const Json *args) {
    Array z = array_arg(args, "z"), out = zeros_like(&z, z.f32);
    double alpha = hyperparameter(args, "alpha");
    IN_PRECISION(z.f32, {
        T a = (T)alpha;
        for (size_t i = 0; i < z.n; i++)
            out.data[i] = AT(z, i) > 0 ? 1 : a;
    });
    put_array(&out);
}

/* Softmax along axis 0 (the classes of a (C, m) array): e^(z - k) / sum, k the column's maximum. */
static void op_softmax(const Json *args) {
    Array z = array_arg(args, "z"), out = zeros_like(&z, z.f32);
    if (z.ndim == 0)
        fail("z must have at least one axis holding the classes; got a scalar");
    size_t classes = z.shape[0];
    if (classes == 0)
        fail("z has no classes (its first axis is empty)");
    size_t columns = z.n / classes;
    IN_PRECISION(z.f32, {
        T *e = allocate(z.n, sizeof *e);
        T *column = allocate(classes, sizeof *column);
        for (size_t j = 0; j < columns; j++) {
            T k = AT(z, j);
            for (size_t i = 1; i < classes; i++) {
                T zi = AT(z, i * columns + j);
                k = isnan(k) || k >= zi ? k : zi; /* NumPy's max: NaN wins */
            }
            for (size_t i = 0; i < classes; i++)
                column[i] = e[i * columns + j] = exp(-k + AT(z, i * columns + j));
            /* A 1-D z is summed whole (pairwise); the columns of a (C, m) z row after row. */
            T total = 0;
            if (columns == 1)
                total = SUM(column, classes);
            else
                for (size_t i = 0; i < classes; i++)
                    total += column[i];
            for (size_t i = 0; i < classes; i++)
                out.data[i * columns + j] = e[i * columns + j] / total;
        }
    });
    put_array(&out);
}

/* The labels y, in the dtype of the predictions (as gradspec's labels_like casts them). */
static Array labels_for(const Json *args, const Array *like, const char *like_name) {
    Array y = array_arg(args, "y");
    same_shape(&y, "y", like, like_name);
    return y;
}

/* A cost: the per-entry losses summed (pairwise, as NumPy) and divided by m, the size of the
 * last axis (the examples), in the precision of the predictions. */
#define PUT_COST(T, losses, a)                                                                     \
    do {                                                                                           \
        size_t m_ = (a).ndim ? (a).shape[(a).ndim - 1] : 1;                                        \
        T cost_ = SUM(losses, (a).n) / (T)m_;                                                      \
        put_number(cost_);                                                                         \
    } while (0)

static void op_binary_cross_entropy(const Json *args) {
    Array a = array_arg(args, "a"), y = labels_for(args, &a, "a");
    for (size_t i = 0; i < a.n; i++)
        if (a.data[i] < 0 || a.data[i] > 1)
            fail("a must hold probabilities in [0, 1]; pass logits to binary_cross_entropy_with_logits instead");
    IN_PRECISION(a.f32, {
        T *losses = allocate(a.n, sizeof *losses);
        for (size_t i = 0; i < a.n; i++) {
            T ai = AT(a, i), yi = AT(y, i);
            T positive = yi == 0 ? 0 : yi * log(ai), negative = yi == 1 ? 0 : (1 - yi) * log(1 - ai);
            losses[i] = -positive - negative;
        }
        PUT_COST(T, losses, a);
    });
}

static void op_binary_cross_entropy_with_logits(const Json *args) {
    Array z = array_arg(args, "z"), y = labels_for(args, &z, "z");
    IN_PRECISION(z.f32, {
        T *losses = allocate(z.n, sizeof *losses);
        for (size_t i = 0; i < z.n; i++) {
            T zi = AT(z, i), yi = AT(y, i), relu = 0 >= zi ? 0 : zi;
            losses[i] = (-yi * zi + relu) + log1p(exp(-fabs(zi)));
        }
        PUT_COST(T, losses, z);
    });
}

static void op_categorical_cross_entropy(const Json *args) {
    Array y_hat = array_arg(args, "y_hat"), y = labels_for(args, &y_hat, "y_hat");
    IN_PRECISION(y_hat.f32, {
        T *losses = allocate(y_hat.n, sizeof *losses);
        for (size_t i = 0; i < y_hat.n; i++) {
            T yi = AT(y, i), term = yi == 0 ? 0 : yi * log(AT(y_hat, i));
            losses[i] = -term;
        }
        PUT_COST(T, losses, y_hat);
    });
}

static void op_mean_squared_error(const Json *args) {
    Array y_hat = array_arg(args, "y_hat"), y = labels_for(args, &y_hat, "y_hat");
    IN_PRECISION(y_hat.f32, {
        T *losses = allocate(y_hat.n, sizeof *losses);
        for (size_t i = 0; i < y_hat.n; i++) {
            T d = AT(y, i) - AT(y_hat, i);
            losses[i] = d * d;
        }
        PUT_COST(T, losses, y_hat);
    });
}

static void op_softmax_cross_entropy_grad(const Json *args) {
    Array y_hat = array_arg(args, "y_hat"), y = labels_for(args, &y_hat, "y_hat");
    Array out = zeros_like(&y_hat, y_hat.f32);
    size_t m = y_hat.ndim ? y_hat.shape[y_hat.ndim - 1] : 1;
    IN_PRECISION(y_hat.f32, {
        for (size_t i = 0; i < y_hat.n; i++)
            out.data[i] = (-AT(y, i) + AT(y_hat, i)) / (T)m;
    });
    put_array(&out);
}

static void op_ewa_step(const Json *args) {
    Array v = array_arg(args, "v"), theta = array_arg(args, "theta");
    same_shape(&theta, "theta", &v, "v");
    double beta = hyperparameter(args, "beta");
    Array out = zeros_like(&v, v.f32 && theta.f32);
    IN_PRECISION(out.f32, {
        T b = (T)beta, one_minus_b = (T)(1 - beta);
        for (size_t i = 0; i < v.n; i++)
            out.data[i] = b * AT(v, i) + AT(theta, i) * one_minus_b;
    });
    put_array(&out);
}

static void op_bias_correction(const Json *args) {
    Array v = array_arg(args, "v"), out = zeros_like(&v, v.f32);
    double beta = hyperparameter(args, "beta"), t = step_number(args);
    double correction = 1 - pow(beta, t);
    IN_PRECISION(v.f32, {
        T c = (T)correction;
        for (size_t i = 0; i < v.n; i++)
            out.data[i] = AT(v, i) / c;
    });
    put_array(&out);
}

/* The schedules take and give Python floats: doubles. */

static void op_inverse_time_decay(const Json *args) {
    double lr0 = hyperparameter(args, "learning_rate0"), epoch = hyperparameter(args, "epoch_num");
    put_number(lr0 / (hyperparameter(args, "decay_rate") * epoch + 1));
}

static void op_staircase_decay(const Json *args) {
    double lr0 = hyperparameter(args, "learning_rate0"), epoch = hyperparameter(args, "epoch_num");
    double rate = hyperparameter(args, "decay_rate"), interval = hyperparameter(args, "time_interval");
    put_number(lr0 / (rate * floor(epoch / interval) + 1));
}

static void op_exponential_decay(const Json *args) {
    double lr0 = hyperparameter(args, "learning_rate0"), epoch = hyperparameter(args, "epoch_num");
    put_number(pow(hyperparameter(args, "k"), epoch) * lr0);
}

static void op_exponential_staircase_decay(const Json *args) {
    double lr0 = hyperparameter(args, "learning_rate0"), epoch = hyperparameter(args, "epoch_num");
    double k = hyperparameter(args, "k"), interval = hyperparameter(args, "time_interval");
    put_number(pow(k, floor(epoch / interval)) * lr0);
}

static void op_inverse_sqrt_decay(const Json *args) {
    double lr0 = hyperparameter(args, "learning_rate0"), epoch = hyperparameter(args, "epoch_num");
    double k = hyperparameter(args, "k");
    if (epoch < 1)
        fail("epoch_num must be >= 1 for k/sqrt(epoch) decay (it divides by sqrt(epoch)); got %.17g", epoch);
    put_number(k * lr0 / sqrt(epoch));
}

/* Every op, its parameters and its function, in gradspec.conformance.protocol.OPS's order. */
static const struct Op {
    const char *name, *params;
    void (*run)(const Json *args);
} OPS[] = {
    {"gd_step", "w g learning_rate", op_gd_step},
    {"momentum_step", "w g v beta learning_rate", op_momentum_step},
    {"rmsprop_step", "w g s beta2 learning_rate epsilon", op_rmsprop_step},
    {"adam_step", "w g v s t learning_rate beta1 beta2 epsilon", op_adam_step},
    {"trajectory", "rule w grads learning_rate beta beta1 beta2 epsilon", op_trajectory},
    {"nesterov_step", "w g v beta learning_rate", op_nesterov_step},
    {"amsgrad_step", "w g v s s_max t learning_rate beta1 beta2 epsilon", op_amsgrad_step},
    {"rmsprop_centered_step", "w g s g_bar beta2 learning_rate epsilon", op_rmsprop_centered_step},
    {"rmsprop_momentum_step", "w g s v beta2 beta learning_rate epsilon", op_rmsprop_momentum_step},
    {"adagrad_step", "w g s learning_rate epsilon", op_adagrad_step},
    {"adam_weight_decay_step", "w g v s t learning_rate beta1 beta2 epsilon weight_decay schedule_multiplier",
     op_adam_weight_decay_step},
    {"sigmoid", "z", op_sigmoid},
    {"sigmoid_backward", "dA Z", op_sigmoid_backward},
    {"tanh", "z", op_tanh},
    {"tanh_backward", "dA Z", op_tanh_backward},
    {"relu", "z", op_relu},
    {"relu_grad", "z", op_relu_grad},
    {"relu_backward", "dA Z", op_relu_backward},
    {"leaky_relu", "z alpha", op_leaky_relu},
    {"leaky_relu_grad", "z alpha", op_leaky_relu_grad},
    {"softmax", "z", op_softmax},
    {"binary_cross_entropy", "a y", op_binary_cross_entropy},
    {"binary_cross_entropy_with_logits", "z y", op_binary_cross_entropy_with_logits},
    {"categorical_cross_entropy", "y_hat y", op_categorical_cross_entropy},
    {"mean_squared_error", "y_hat y", op_mean_squared_error},
    {"softmax_cross_entropy_grad", "y_hat y", op_softmax_cross_entropy_grad},
    {"ewa_step", "v theta beta", op_ewa_step},
    {"bias_correction", "v beta t", op_bias_correction},
    {"inverse_time_decay", "learning_rate0 epoch_num decay_rate", op_inverse_time_decay},
    {"staircase_decay", "learning_rate0 epoch_num decay_rate time_interval", op_staircase_decay},
    {"exponential_decay", "learning_rate0 epoch_num k", op_exponential_decay},
    {"exponential_staircase_decay", "learning_rate0 epoch_num k time_interval", op_exponential_staircase_decay},
    {"inverse_sqrt_decay", "learning_rate0 epoch_num k", op_inverse_sqrt_decay},
};
enum { OP_COUNT = sizeof OPS / sizeof OPS[0] };

/* --- serving --------------------------------------------------------------------------------- */

/* The reply to one request (line.text), written to reply without its id: "ops":... or "result":... */
static void answer(void) {
    Json message;
    parse_document(line.text, line.length, &message);
    if (message.type != JSON_OBJECT)
        fail("a request is a JSON object");
    const Json *id = member(&message, "id");
    if (id == NULL || id->type != JSON_NUMBER || !id->integer || id->as.text[0] == '-')
        fail("a request needs an id, an integer >= 0");
    request.id = id->as.text;
    request.id_length = id->length;
    const Json *op = member(&message, "op");
    if (op == NULL || op->type != JSON_STRING)
        fail("a request needs an op, a string");
    if (is_string(op, "hello")) {
        const Json *protocol = member(&message, "protocol");
        if (protocol == NULL || protocol->type != JSON_NUMBER || protocol->number != 1)
            fail("this client speaks protocol 1 only");
        put_text("\"ops\":[");
        for (size_t i = 0; i < OP_COUNT; i++) {
            put_text(i ? ",\"" : "\"");
            put_text(OPS[i].name);
            put_text("\"");
        }
        put_text("],\"name\":\"" CLIENT_NAME "\"");
        return;
    }
    size_t i = 0;
    while (i < OP_COUNT && !is_string(op, OPS[i].name))
        i++;
    if (i == OP_COUNT)
        fail("no op %.60s", op->as.text);
    const Json *args = member(&message, "args");
    if (args == NULL || args->type != JSON_OBJECT)
        fail("a call needs args, a JSON object");
    for (size_t k = 0; k < args->length; k++) {
        const Member *m = &args->as.members[k];
        if (!has_word(OPS[i].params, m->key, m->key_length))
            fail("%s takes no argument %.40s (its arguments: %s)", OPS[i].name, m->key, OPS[i].params);
    }
    put_text("\"result\":");
    OPS[i].run(args);
}

/* The id of a line that is not JSON, where it begins as gradspec writes requests: {"id": N, ... */
static void find_id(void) {
    const char *s = line.text, *end = line.text + line.length;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s == end || *s++ != '{')
        return;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if ((size_t)(end - s) < 4 || memcmp(s, "\"id\"", 4) != 0)
        return;
    s += 4;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s == end || *s++ != ':')
        return;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    const char *digits = s;
    while (s < end && *s >= '0' && *s <= '9')
        s++;
    if (s > digits && s - digits <= 20 && (*digits != '0' || s - digits == 1)) {
        request.id = digits;
        request.id_length = (size_t)(s - digits);
    }
}

static void serve(void) {
    reply.length = 0;
    request.id = NULL;
    if (setjmp(request.fail) == 0) {
        answer();
        fputs("{\"id\":", stdout);
        fwrite(request.id, 1, request.id_length, stdout);
        putchar(',');
        fwrite(reply.text, 1, reply.length, stdout);
        fputs("}\n", stdout);
    } else {
        if (request.id == NULL)
            find_id();
        fputs("{\"id\":", stdout);
        if (request.id != NULL)
            fwrite(request.id, 1, request.id_length, stdout);
        else
            fputs("null", stdout); /* the request's id is not known */
        fputs(",\"error\":", stdout);
        print_string(request.message);
        fputs("}\n", stdout);
    }
    fflush(stdout);
    release_all();
    if (reply.capacity > (1u << 24)) { /* after a huge reply, give its memory back */
        free(reply.text);
        reply = (Buffer){0};
    }
}

/* Reads one line (without its newline) into line; false at the end of the input. A line longer
 * than the memory allows is read to its end and answered with an error. */
static bool read_line(bool *too_long) {
    int c;
    bool any = false;
    line.length = 0;
    *too_long = false;
    while ((c = getc(stdin)) != EOF) {
        any = true;
        if (c == '\n')
            break;
        if (*too_long || !reserve(&line, 1))
            *too_long = true;
        else
            line.text[line.length++] = (char)c;
    }
    if (line.text != NULL)
        line.text[line.length] = 0;
    return any;
}

int main(void) {
    bool too_long;
    while (read_line(&too_long)) {
        if (too_long) {
            request.id = NULL;
            if (line.text != NULL)
                find_id(); /* in what could be read */
            fputs("{\"id\":", stdout);
            if (request.id != NULL)
                fwrite(request.id, 1, request.id_length, stdout);
            else
                fputs("null", stdout);
            fputs(",\"error\":\"the line is too long for this client's memory\"}\n", stdout);
            fflush(stdout);
            request.id = NULL;
        } else if (line.length > strspn(line.text ? line.text : "", " \t\r")) {
            serve();
        }
        if (line.capacity > (1u << 24)) {
            free(line.text);
            line = (Buffer){0};
        }
    }
    return 0;
}
