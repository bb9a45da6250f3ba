/* Unit tests of the registry and the semantic checker: every check passes
 * once and fails once, with its diagnostic ID, position and message. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "registry.h"
#include "sema.h"

typedef struct run {
    source *src;
    diag_sink *diag;
    ast_script *script;
    sema_result *res;
    size_t parse_errors, errors;
} run;

static void run_script(run *r, const char *text)
{
    memset(r, 0, sizeof *r);
    r->src = source_from_memory("t.sieve", text, strlen(text));
    r->diag = diag_sink_new(0);
    sieve_limits lim;
    sieve_limits_default(&lim);
    r->parse_errors = parse_script(r->src, &lim, r->diag, &r->script);
    ck_assert_msg(r->parse_errors == 0, "parse error in test script: %s",
                  diag_count(r->diag) ? diag_get(r->diag, 0)->message : "?");
    r->errors = sema_check(r->script, &lim, r->diag, &r->res);
}

static void run_free(run *r)
{
    sema_result_free(&r->res);
    ck_assert_ptr_null(r->res);
    ast_script_free(&r->script);
    diag_sink_free(&r->diag);
    source_free(&r->src);
}

static void dump(const run *r)
{
    for (size_t i = 0; i < diag_count(r->diag); i++) {
        const diag_record *d = diag_get(r->diag, i);
        unsigned l, c;
        source_position(r->src, d->span.start, &l, &c);
        fprintf(stderr, "  %u:%u %s [%s] %s\n", l, c,
                d->severity == DIAG_ERROR ? "error" : d->severity == DIAG_WARNING ? "warning" : "note",
                d->id, d->message);
    }
}

/* A passing script: no errors (warnings allowed). */
typedef struct ok_case {
    const char *script;
} ok_case;

/* A failing (or warned-about) script: the first diagnostic with this ID is
 * at line:col and its message contains msg. */
typedef struct bad_case {
    const char *script;
    const char *id;
    unsigned line, col;
    const char *msg;
    bool warning;           /* a warning, and the script still passes */
} bad_case;

static const ok_case ok_cases[] = {
    /* The brief's mailing-list script. */
    { "require [\"reject\"];\n"
      "if header :contains \"X-Spam-Level\" \"++++++++++\" {\n"
      "  reject \"This message was evaluated as spam and was not delivered, you can contact us via listname-request@example.org\";\n"
      "}\n"
      "if size :over 1024k { reject \"Mails bigger than 1MB are not permitted on this mailing list.\"; }\n"
      "if not header :is \"From\" [\"peter@example.org\", \"maaike\", \"wiebke\", \"tobias\"] {\n"
      "  reject \"You are not allowed to post to this list\";\n"
      "}\n" },
    /* RFC 5228 */
    { "keep; discard; stop;" },
    { "if true { keep; } elsif false { discard; } else { stop; }" },
    { "if anyof (true, false) { keep; }" },
    { "if allof (address :all :comparator \"i;octet\" :is \"to\" \"a@b\", exists \"x\") { keep; }" },
    { "if address :domain \"from\" \"example.org\" { keep; }" },
    { "redirect \"user@example.org\";" },
    { "redirect \"Joe <joe@example.org>\";" },
    { "redirect \"\\\"x y\\\"@example.org\";" },
    /* RFC 5322 CFWS and obsolete local parts, accepted as in Pigeonhole */
    { "redirect \" more  @  example.com  \"; redirect \".japanese..x.@example.com\"; redirect \"a@b.c (comment)\";" },
    { "redirect \"a@[IPv6:::1]\"; redirect \"\\\"Joe, Q\\\" <a@b.c>\";" },
    { "if size :under 10M { keep; }" },
    { "if header :matches \"subject\" \"*money?\" { discard; }" },
    { "require \"fileinto\"; fileinto \"INBOX.spam\";" },
    { "require \"envelope\"; if envelope :localpart \"from\" \"x\" { keep; }" },
    { "require \"envelope\"; if envelope \"auth\" \"x\" { keep; }" },
    { "require [\"comparator-i;octet\", \"comparator-i;ascii-casemap\"]; keep;" },
    { "require \"comparator-i;ascii-numeric\"; if header :is :comparator \"i;ascii-numeric\" \"x\" \"1\" { keep; }" },
    { "require \"comparator-i;unicode-casemap\"; if header :contains :comparator \"i;unicode-casemap\" \"x\" \"1\" { keep; }" },
    /* extensions */
    { "require \"reject\"; reject text:\nno\n.\n;" },
    { "require \"ereject\"; ereject \"no\";" },
    { "require [\"fileinto\", \"copy\"]; fileinto :copy \"a\"; redirect :copy \"a@b.c\";" },
    { "require \"body\"; if body :content [\"text\"] :contains \"x\" { keep; }" },
    { "require \"body\"; if body :raw :matches \"*x*\" { keep; }" },
    { "require \"variables\"; set :lower :upperfirst \"a\" \"${b}\"; if string :is \"${a}\" \"\" { keep; }" },
    { "require \"variables\"; set :length \"n\" \"abc\";" },
    { "require [\"variables\", \"regex\"]; set :quoteregex \"q\" \"a.b\";" },
    { "require [\"variables\", \"enotify\"]; set :encodeurl \"q\" \"a b\";" },
    { "require \"variables\"; set \"_a\" \"${10}${32}\"; set \"\\n\\a\\m\\e\" \"x\";" },
    { "require \"vacation\"; vacation :days 7 :subject \"away\" :from \"me@example.org\" :addresses [\"a@b\", \"c\"] :mime :handle \"h\" \"gone\";" },
    { "require \"vacation-seconds\"; vacation :seconds 60 \"x\";" },
    { "require \"relational\"; if header :count \"ge\" \"received\" \"3\" { keep; }" },
    /* RFC 5231 5 operators are ABNF literals: case-insensitive (Pigeonhole refuses "GE"). */
    { "require \"relational\"; if header :value \"GE\" \"x\" \"3\" { keep; }" },
    { "require [\"relational\", \"comparator-i;ascii-numeric\"]; if header :value \"lt\" :comparator \"i;ascii-numeric\" \"x\" \"3\" { keep; }" },
    { "require [\"envelope\", \"subaddress\"]; if envelope :detail \"to\" \"list\" { keep; }" },
    { "require \"imap4flags\"; setflag \"\\\\Seen\"; addflag [\"a\", \"b\"]; removeflag \"a\"; if hasflag :contains \"b\" { keep :flags \"x\"; }" },
    { "require [\"imap4flags\", \"variables\"]; addflag \"myflags\" \"a\"; if hasflag \"myflags\" \"a\" { keep; }" },
    { "require [\"imap4flags\", \"fileinto\"]; fileinto :flags \"\\\\Seen\" \"a\";" },
    { "require \"editheader\"; addheader :last \"X-A\" \"1\"; deleteheader :index 2 :last :contains \"X-A\" \"1\"; deleteheader \"X-B\";" },
    { "require [\"date\", \"relational\"]; if date :zone \"+0100\" :value \"ge\" \"date\" \"year\" \"2000\" { keep; }" },
    { "require [\"date\", \"relational\"]; if currentdate :value \"ge\" \"hour\" \"09\" { keep; }" },
    { "require [\"date\", \"index\"]; if date :index 1 :last :originalzone \"received\" \"weekday\" \"0\" { keep; }" },
    { "require \"index\"; if header :index 2 \"received\" \"x\" { keep; }" },
    { "require \"regex\"; if header :regex \"subject\" \"^(re|fwd):\" { keep; }" },
    { "require \"regex\"; if header :regex \"subject\" [\"x{100}y{2,}\", \"[[:alpha:]]+[]a]\\\\{\"] { keep; }" },
    { "require [\"spamtest\", \"relational\", \"comparator-i;ascii-numeric\"]; if spamtest :value \"ge\" :comparator \"i;ascii-numeric\" \"5\" { discard; }" },
    { "require [\"spamtestplus\", \"relational\", \"comparator-i;ascii-numeric\"]; if spamtest :percent :value \"ge\" :comparator \"i;ascii-numeric\" \"50\" { discard; }" },
    { "require [\"virustest\", \"relational\", \"comparator-i;ascii-numeric\"]; if virustest :value \"eq\" :comparator \"i;ascii-numeric\" \"5\" { discard; }" },
    { "require [\"mailbox\", \"fileinto\"]; if mailboxexists \"a\" { fileinto :create \"a\"; }" },
    { "require \"environment\"; if environment :contains \"host\" \"mx\" { keep; }" },
    { "require \"duplicate\"; if duplicate :header \"list-id\" :seconds 60 :last :handle \"x\" { discard; }" },
    { "require \"duplicate\"; if duplicate :uniqueid \"abc\" { discard; }" },
    { "require \"enotify\"; notify :from \"a@b.c\" :importance \"1\" :options [\"x=y\"] :message \"m\" \"mailto:x@example.org\";" },
    { "require \"enotify\"; if valid_notify_method \"xmpp:a@b\" { keep; }" },
    { "require \"enotify\"; if notify_method_capability \"mailto:a@b\" \"online\" \"yes\" { keep; }" },
    { "require [\"mime\", \"foreverypart\"]; foreverypart :name \"outer\" { foreverypart { if header :mime :type \"content-type\" \"text\" { break :name \"outer\"; } } }" },
    { "require \"mime\"; if header :mime :anychild :param [\"filename\"] :contains \"content-disposition\" \".exe\" { discard; }" },
    { "require \"mime\"; if exists :mime :anychild \"content-id\" { keep; }" },
    { "require \"mime\"; if address :mime :domain \"from\" \"x\" { keep; }" },
    { "require [\"foreverypart\", \"variables\", \"extracttext\"]; foreverypart { extracttext :upper :first 10 \"t\"; }" },
    { "require \"replace\"; replace :mime :subject \"s\" :from \"a@b.c\" \"text\";" },
    { "require \"enclose\"; enclose :subject \"s\" :headers [\"x\"] \"text\";" },
    { "require \"include\"; include :personal :once :optional \"other\"; return;" },
    { "require \"include\"; include :global \"spam\";" },
    { "require [\"include\", \"variables\"]; global \"a\"; set \"a\" \"x\"; global \"a\"; if true { global \"b\"; } set \"b\" \"1\";" },
    { "require [\"include\", \"variables\"]; global [\"a\", \"b\"]; set \"global.c\" \"x\"; set \"x\" \"${global.a}\";" },
    { "require \"ihave\"; if ihave \"frobnicate\" { frob \"x\"; } else { error \"no frob\"; }" },
    { "require \"ihave\"; if ihave \"fileinto\" { fileinto \"x\"; }" },
    /* Pigeonhole makes an ihave'd extension available after the test too. */
    { "require \"ihave\"; if not ihave \"fileinto\" { keep; } else { fileinto \"x\"; } fileinto \"y\";" },
    { "if address [\"from\", \"To\", \"resent-cc\", \"x-original-to\"] \"x\" { keep; }" },
    { "require \"enotify\"; notify :options [\"a=b\"] \"mailto:a@b.c,d%40e.f?subject=x\";" },
    { "require [\"fileinto\", \"special-use\"]; fileinto :specialuse \"\\\\Junk\" \"Spam\";" },
    { "require \"special-use\"; if specialuse_exists [\"\\\\Sent\", \"\\\\Junk\"] { keep; } if specialuse_exists \"INBOX\" \"\\\\Junk\" { keep; }" },
    { "require [\"fileinto\", \"mailboxid\"]; fileinto :mailboxid \"F123\" \"Spam\"; if mailboxidexists \"F123\" { keep; }" },
    { "require [\"vacation\", \"fcc\", \"mailbox\", \"imap4flags\"]; vacation :fcc \"Sent\" :create :flags \"\\\\Seen\" \"x\";" },
    { "require [\"enotify\", \"fcc\"]; notify :fcc \"Sent\" \"mailto:a@b.c\";" },
    { "require \"encoded-character\"; if header :is \"x\" \"${hex:40}${unicode:1F600}\" { keep; }" },
    { "require \"encoded-character\"; if header :is \"x\" \"${hex:4x}\" { keep; }" },
    { "require \"variables\"; if header :is \"x\" \"${\" { keep; } redirect \"${a}\";" },
    { "# comment\nrequire \"fileinto\";\nrequire \"copy\";\nfileinto :copy \"x\";" },
};

static const bad_case bad_cases[] = {
    /* require */
    { "require \"frobnicate\";", "unknown-extension", 1, 9, "unknown extension \"frobnicate\"", false },
    { "require \"comparator-i;foo\";", "unknown-extension", 1, 9, "comparator-i;foo", false },
    { "require \"imapflags\";", "deprecated-extension", 1, 9, "obsolete", false },
    { "require \"notify\";", "deprecated-extension", 1, 9, "obsolete", false },
    { "keep;\nrequire \"fileinto\";", "require-not-first", 2, 1, "must come before", false },
    { "if true { require \"fileinto\"; }", "require-not-first", 1, 11, "top level", false },
    { "fileinto \"x\";", "missing-require", 1, 1, "unknown command 'fileinto'", false },
    { "if envelope \"from\" \"x\" { keep; }", "missing-require", 1, 4, "unknown test 'envelope'", false },
    { "redirect :copy \"a@b.c\";", "missing-require", 1, 10, "':copy'", false },
    { "if header :regex \"a\" \"b\" { keep; }", "missing-require", 1, 11, "':regex'", false },
    { "if header :is :comparator \"i;ascii-numeric\" \"a\" \"1\" { keep; }", "missing-require", 1, 27, "comparator 'i;ascii-numeric'", false },
    { "require \"date\"; if date :index 1 \"date\" \"year\" \"2000\" { keep; }", "missing-require", 1, 25, "':index'", false },
    /* unknown commands and tests, once per name */
    { "frob; frob;", "unknown-command", 1, 1, "unknown command 'frob'", false },
    { "if frob { keep; }", "unknown-test", 1, 4, "unknown test 'frob'", false },
    { "true;", "not-a-command", 1, 1, "'true' is a test, not a command", false },
    { "if keep { stop; }", "not-a-test", 1, 4, "'keep' is a command, not a test", false },
    /* arguments */
    { "redirect 5;", "argument-type", 1, 10, "must be a string, not a number", false },
    { "redirect [\"a@b.c\", \"d@e.f\"];", "argument-type", 1, 10, "not a string list", false },
    { "if size :over \"1\" { keep; }", "argument-type", 1, 15, "must be a number", false },
    { "keep \"x\";", "too-many-arguments", 1, 6, "'keep' takes no positional arguments", false },
    { "if header \"a\" \"b\" \"c\" { keep; }", "too-many-arguments", 1, 19, "too many arguments for 'header'", false },
    { "redirect;", "missing-argument", 1, 1, "missing its address argument", false },
    { "if header \"a\" { keep; }", "missing-argument", 1, 11, "key-list", false },
    { "if header :comparator { keep; }", "missing-argument", 1, 11, "':comparator' needs a string", false },
    { "if header :comparator 5 \"a\" \"b\" { keep; }", "argument-type", 1, 23, "':comparator' needs a string, not a number", false },
    { "if header \"a\" :is \"b\" { keep; }", "tag-order", 1, 15, "after a positional", false },
    /* tags */
    { "if header :frob \"a\" \"b\" { keep; }", "unknown-tag", 1, 11, "unknown tag ':frob'", false },
    { "if header :over \"a\" \"b\" { keep; }", "unknown-tag", 1, 11, "':over' is not a valid tag for 'header'", false },
    { "if header :is :is \"a\" \"b\" { keep; }", "duplicate-tag", 1, 15, "':is' given twice", false },
    { "if header :is :contains \"a\" \"b\" { keep; }", "conflicting-tags", 1, 15, "':is' and ':contains'", false },
    { "if address :domain :localpart \"from\" \"b\" { keep; }", "conflicting-tags", 1, 20, "address part", false },
    { "if size :over :under 5 { keep; }", "conflicting-tags", 1, 15, "':over' and ':under'", false },
    { "if size 5 { keep; }", "missing-argument", 1, 4, "':over' or ':under'", false },
    /* comparators and match types */
    { "if header :comparator \"i;frob\" \"a\" \"b\" { keep; }", "invalid-comparator", 1, 23, "unknown comparator 'i;frob'", false },
    { "require \"comparator-i;ascii-numeric\"; if header :contains :comparator \"i;ascii-numeric\" \"a\" \"1\" { keep; }",
      "comparator-match-type", 1, 49, "cannot be used with ':contains'", false },
    { "require [\"regex\", \"comparator-i;ascii-numeric\"]; if header :regex :comparator \"i;ascii-numeric\" \"a\" \"1\" { keep; }",
      "comparator-match-type", 1, 60, "':regex'", false },
    { "require \"relational\"; if header :value \"xx\" \"a\" \"1\" { keep; }", "invalid-relational-operator", 1, 40, "\"xx\"", false },
    { "require [\"relational\", \"variables\"]; if header :count \"${op}\" \"a\" \"1\" { keep; }", "constant-required", 1, 55, "constant", false },
    { "require \"regex\"; if header :regex \"a\" \"(a\" { keep; }", "invalid-regex", 1, 39, "invalid :regex pattern", false },
    { "require \"regex\"; if header :regex \"a\" \"(a)\\\\1\" { keep; }", "invalid-regex", 1, 39, "back-references are not supported", false },
    { "require \"regex\"; if header :regex \"a\" \"((a{255}){255})\" { keep; }", "invalid-regex", 1, 39, "expand", false },
    { "require \"regex\"; if header :regex \"a\" \"a{~1}\" { keep; }", "invalid-regex", 1, 39, "approximate", false },
    /* placement, tests and blocks */
    { "else { keep; }", "else-without-if", 1, 1, "'else' without", false },
    { "keep; elsif true { keep; }", "else-without-if", 1, 7, "'elsif' without", false },
    { "if (not header :is \"a\" \"b\") { keep; }", "test-list-not-allowed", 1, 4, "'if' takes one test, not a test list", false },
    { "if { keep; }", "test-required", 1, 1, "'if' needs a test", false },
    { "if not (true, false) { keep; }", "test-list-not-allowed", 1, 8, "'not' takes one test", false },
    { "if allof true { keep; }", "test-list-required", 1, 10, "parenthesised list", false },
    { "keep true;", "test-not-allowed", 1, 6, "'keep' takes no test", false },
    { "if true { stop; } else if false { keep; }", "test-not-allowed", 1, 24, "write 'elsif' instead of 'else if'", false },
    { "require \"reject\"; reject \"x\"\n  stop;", "test-not-allowed", 2, 3, "is a ';' missing before 'stop'?", false },
    { "if true;", "block-required", 1, 1, "'if' needs a block", false },
    { "stop { keep; }", "block-not-allowed", 1, 6, "'stop' takes no block", false },
    /* addresses */
    { "redirect \"foo\";", "invalid-address", 1, 10, "'foo' is not a valid address", false },
    { "redirect \"\";", "invalid-address", 1, 10, "not a valid address", false },
    { "redirect \"Joe Bloggs joe@example.org\";", "invalid-address", 1, 10, "not a valid address", false },
    { "redirect \"m\xc3\xbcller@example.org\";", "invalid-address", 1, 10, "not a valid address", false },
    { "redirect \"a@b..c\";", "invalid-address", 1, 10, "not a valid address", false },
    { "redirect \"Joe <joe@example.org\";", "invalid-address", 1, 10, "not a valid address", false },
    { "require \"vacation\"; vacation :from \"foo\" \"x\";", "invalid-address", 1, 36, "':from' of 'vacation'", false },
    { "require \"enotify\"; notify :from \"x\" \"mailto:a@b.c\";", "invalid-address", 1, 33, "':from' of 'notify'", false },
    /* variables */
    { "require \"variables\"; set \"0\" \"x\";", "invalid-variable-name", 1, 26, "match variable", false },
    { "require \"variables\"; if string \"${33}\" \"\" { keep; }", "limit-exceeded", 1, 32, "${33}", false },
    { "require \"variables\"; set \"v12345678901234567890123456789012345678901234567890123456789012345\" \"x\";", "limit-exceeded", 1, 26, "66 bytes", false },
    { "require \"variables\"; set \"1a\" \"x\";", "invalid-variable-name", 1, 26, "'1a' is not a valid variable name", false },
    { "require \"variables\"; set \"a.b\" \"x\";", "invalid-namespace", 1, 26, "unknown namespace 'a'", false },
    { "require \"variables\"; set \"global.b\" \"x\";", "invalid-namespace", 1, 26, "\"global\" namespace needs require \"include\"", false },
    { "require \"variables\"; keep :flags \"${foo.bar}\";", "missing-require", 1, 27, "':flags'", false },
    { "require \"variables\"; if header :is \"x\" \"${foo.bar}\" { keep; }", "invalid-namespace", 1, 40, "unknown namespace 'foo'", false },
    { "require \"variables\"; set :lower :upper \"a\" \"b\";", "conflicting-tags", 1, 33, "same precedence", false },
    { "require \"variables\"; set :lower :lower \"a\" \"b\";", "duplicate-tag", 1, 33, "given twice", false },
    { "require \"variables\"; set :quoteregex \"a\" \"b\";", "missing-require", 1, 26, "':quoteregex'", false },
    { "require \"variables\"; set :encodeurl \"a\" \"b\";", "missing-require", 1, 26, "':encodeurl'", false },
    { "require \"imap4flags\"; addflag \"v\" \"a\";", "missing-require", 1, 31, "variables extension", false },
    /* encoded-character */
    { "require \"encoded-character\"; if header :is \"a\" \"${unicode:D800}\" { keep; }", "invalid-encoded-character", 1, 48, "U+D800", false },
    { "require \"encoded-character\"; if header :is \"a\" \"${unicode:110000}\" { keep; }", "invalid-encoded-character", 1, 48, "U+110000", false },
    /* extension restrictions */
    { "require \"vacation\"; vacation :seconds 5 \"x\";", "missing-require", 1, 30, "':seconds'", false },
    { "require \"vacation-seconds\"; vacation :days 1 :seconds 5 \"x\";", "conflicting-tags", 1, 46, "vacation period", false },
    { "require \"envelope\"; if envelope \"frob\" \"x\" { keep; }", "invalid-value", 1, 33, "unknown envelope part 'frob'", false },
    { "require \"index\"; if header :last \"date\" \"2000\" { keep; }", "tag-needs-tag", 1, 28, "':last' needs ':index'", false },
    { "require \"index\"; if header :index 0 \"date\" \"2000\" { keep; }", "invalid-value", 1, 35, "counts from 1", false },
    { "require \"editheader\"; deleteheader :last \"x\";", "tag-needs-tag", 1, 36, "':last' needs ':index'", false },
    { "require \"editheader\"; addheader \"a b\" \"x\";", "invalid-header-name", 1, 33, "'a b' is not a valid header field name", false },
    { "require \"duplicate\"; if duplicate :header \"x\" :uniqueid \"y\" { keep; }", "conflicting-tags", 1, 47, "':header' and ':uniqueid'", false },
    { "require \"enotify\"; notify \"foo\";", "invalid-uri", 1, 27, "'foo' is not a notification URI", false },
    { "require \"enotify\"; notify \"xmpp:a@b\";", "invalid-uri", 1, 27, "unsupported notification method 'xmpp'", false },
    { "require \"enotify\"; notify \"mailto:a@b.c?header<=x\";", "invalid-uri", 1, 27, "invalid character '<'", false },
    { "require \"enotify\"; notify \"mailto:a@b.c?to=x%23y.z\";", "invalid-uri", 1, 27, "'x%23y.z'", false },
    { "require \"enotify\"; notify \"mailto:a@b.c?header:=x\";", "invalid-uri", 1, 27, "invalid header field", false },
    { "require \"enotify\"; notify :options \"a=b\r\nc\" \"mailto:a@b.c\";", "invalid-value", 1, 36, "line break", false },
    { "require \"enotify\"; notify :importance \"4\" \"mailto:a@b.c\";", "invalid-value", 1, 39, "':importance'", false },
    { "require \"foreverypart\"; foreverypart { foreverypart { foreverypart { foreverypart { foreverypart { break; } } } } }", "limit-exceeded", 1, 85, "nested more than 4", false },
    { "require \"foreverypart\"; break;", "break-outside-foreverypart", 1, 25, "outside", false },
    { "require \"foreverypart\"; foreverypart :name \"a\" { foreverypart { break :name \"b\"; } }", "break-outside-foreverypart", 1, 77, "\"b\"", false },
    { "require \"extracttext\"; extracttext \"x\";", "missing-require", 1, 9, "\"extracttext\" needs the variables extension", false },
    { "require [\"extracttext\", \"variables\", \"foreverypart\"]; extracttext \"x\";", "break-outside-foreverypart", 1, 55, "inside 'foreverypart'", false },
    { "require \"mime\"; if header :type \"content-type\" \"x\" { keep; }", "tag-needs-tag", 1, 27, "':type' needs ':mime'", false },
    { "require \"mime\"; if header :mime :type :subtype \"content-type\" \"x\" { keep; }", "conflicting-tags", 1, 39, "MIME option", false },
    { "require \"include\"; include :personal \"a/b\";", "invalid-include-name", 1, 38, "'a/b'", false },
    { "require \"include\"; include \"\";", "invalid-include-name", 1, 28, "''", false },
    { "require \"include\"; include :personal :global \"a\";", "conflicting-tags", 1, 38, "script location", false },
    { "require \"include\"; global \"x\";", "missing-require", 1, 20, "variables extension", false },
    { "require [\"include\", \"variables\"]; set \"A\" \"x\"; global \"a\";", "global-after-local", 1, 55, "used as a local variable", false },
    { "require [\"include\", \"variables\"]; if string \"${a}\" \"\" {} global \"a\";", "global-after-local", 1, 65, "'a'", false },
    { "require \"ihave\"; if ihave \"x-frob\" { keep; } fileinto \"x\";", "missing-require", 1, 46, "'fileinto'", false },
    { "if address \"subject\" \"x\" { keep; }", "not-an-address-header", 1, 12, "'subject' is not a header field that holds addresses", false },
    { "require \"enotify\"; notify \"mailto:foo\";", "invalid-uri", 1, 27, "'foo' in the mailto URI", false },
    { "require \"enotify\"; notify :options \"y\" \"mailto:a@b.c\";", "invalid-value", 1, 36, "name=value", false },
    { "require [\"variables\", \"include\"]; set \"a\" \"${global.x.y}\";", "invalid-namespace", 1, 43, "no sub-namespaces", false },
    { "require \"FileInto\";", "unknown-extension", 1, 9, "\"FileInto\"", false },
    { "require \"duplicate\"; if duplicate :header \"a b\" { keep; }", "invalid-header-name", 1, 43, "'a b'", true },
    { "require \"editheader\"; deleteheader :index 0 \"X-A\";", "invalid-value", 1, 43, "counts from 1", true },
    { "require \"body\"; if body :raw :text \"x\" { keep; }", "conflicting-tags", 1, 30, "body transform", false },
    { "require \"special-use\"; if specialuse_exists \"frop\" { keep; }", "invalid-value", 1, 45, "'frop' is not a special-use attribute", false },
    { "require [\"regex\", \"comparator-i;unicode-casemap\"]; if header :regex :comparator \"i;unicode-casemap\" \"a\" \"b\" { keep; }", "comparator-match-type", 1, 62, "':regex'", false },
    { "require [\"fileinto\", \"special-use\"]; fileinto :specialuse \"Junk\" \"x\";", "invalid-value", 1, 59, "special-use", false },
    { "require \"vacation\"; vacation :create \"x\";", "missing-require", 1, 30, "':create'", false },
    { "require [\"vacation\", \"mailbox\"]; vacation :create \"x\";", "tag-needs-tag", 1, 43, "':create' needs ':fcc'", false },
    /* one failure per remaining extension */
    { "if address :user \"to\" \"x\" { keep; }", "missing-require", 1, 12, "':user'", false },
    { "require \"spamtest\"; if spamtest :percent \"5\" { keep; }", "missing-require", 1, 33, "':percent'", false },
    { "if virustest \"1\" { keep; }", "missing-require", 1, 4, "unknown test 'virustest'", false },
    { "require \"fileinto\"; fileinto :create \"x\";", "missing-require", 1, 30, "':create'", false },
    { "require \"environment\"; if environment \"host\" { keep; }", "missing-argument", 1, 39, "key-list", false },
    { "require \"ihave\"; error 5;", "argument-type", 1, 24, "must be a string, not a number", false },
    { "require \"vacation\"; vacation :fcc \"Sent\" \"x\";", "missing-require", 1, 30, "':fcc'", false },
    { "require \"mailboxid\"; if mailboxidexists 5 { keep; }", "argument-type", 1, 41, "must be a string list", false },
    { "reject \"x\";", "missing-require", 1, 1, "unknown command 'reject'", false },
    { "require \"reject\"; ereject \"x\";", "missing-require", 1, 19, "unknown command 'ereject'", false },
    { "require \"replace\"; replace;", "missing-argument", 1, 20, "replacement", false },
    { "require \"enclose\"; enclose :headers 5 \"x\";", "argument-type", 1, 37, "':headers' needs a string list, not a number", false },
    { "require \"copy\"; keep :copy;", "unknown-tag", 1, 22, "':copy' is not a valid tag for 'keep'", false },
    { "require \"body\"; if body :content \"text\" { keep; }", "missing-argument", 1, 20, "key-list", false },
    { "require \"vacation\"; vacation :days \"1\" \"x\";", "argument-type", 1, 36, "':days' needs a number", false },
    { "require \"date\"; if currentdate :originalzone \"year\" \"x\" { keep; }", "unknown-tag", 1, 32, "':originalzone'", false },
    /* warnings (the script still passes, as in Pigeonhole) */
    { "if header \"a b\" \"x\" { keep; }", "invalid-header-name", 1, 11, "'a b'", true },
    { "require \"date\"; if date \"date\" \"yearx\" \"2000\" { keep; }", "invalid-date-part", 1, 32, "'yearx'", true },
    { "require \"date\"; if date :zone \"+01\" \"date\" \"year\" \"2000\" { keep; }", "invalid-zone", 1, 31, "'+01'", true },
    { "require \"editheader\"; deleteheader \"Received\";", "protected-header", 1, 36, "cannot be deleted", true },
};

START_TEST(test_ok)
{
    run r;
    run_script(&r, ok_cases[_i].script);
    if (r.errors)
        dump(&r);
    ck_assert_msg(r.errors == 0, "case %d: expected no errors: %s", _i, ok_cases[_i].script);
    run_free(&r);
}
END_TEST

START_TEST(test_bad)
{
    const bad_case *bc = &bad_cases[_i];
    run r;
    run_script(&r, bc->script);
    const diag_record *found = NULL;
    for (size_t i = 0; i < diag_count(r.diag) && !found; i++) {
        const diag_record *d = diag_get(r.diag, i);
        if (d->severity != DIAG_NOTE && strcmp(d->id, bc->id) == 0)
            found = d;
    }
    if (!found)
        dump(&r);
    ck_assert_msg(found != NULL, "case %d: no [%s] for: %s", _i, bc->id, bc->script);
    unsigned line, col;
    source_position(r.src, found->span.start, &line, &col);
    if (line != bc->line || col != bc->col || !strstr(found->message, bc->msg))
        dump(&r);
    ck_assert_msg(line == bc->line && col == bc->col, "case %d: [%s] at %u:%u, expected %u:%u",
                  _i, bc->id, line, col, bc->line, bc->col);
    ck_assert_msg(strstr(found->message, bc->msg) != NULL, "case %d: message '%s' lacks '%s'", _i,
                  found->message, bc->msg);
    if (bc->warning) {
        ck_assert_int_eq(found->severity, DIAG_WARNING);
        ck_assert_uint_eq(r.errors, 0);
    } else {
        ck_assert_int_eq(found->severity, DIAG_ERROR);
        ck_assert_uint_gt(r.errors, 0);
    }
    run_free(&r);
}
END_TEST

/* The unknown command is reported once, not at every use (Pigeonhole). */
START_TEST(test_unknown_once)
{
    run r;
    run_script(&r, "frob; frob; if true { frob; } fileinto \"a\"; fileinto \"b\";");
    size_t unknown = 0, missing = 0;
    for (size_t i = 0; i < diag_count(r.diag); i++) {
        const diag_record *d = diag_get(r.diag, i);
        unknown += strcmp(d->id, "unknown-command") == 0;
        missing += strcmp(d->id, "missing-require") == 0;
    }
    ck_assert_uint_eq(unknown, 1);
    ck_assert_uint_eq(missing, 1);
    ck_assert_uint_eq(r.errors, 2);
    run_free(&r);
}
END_TEST

/* Misspelt names get a suggestion. */
START_TEST(test_did_you_mean)
{
    run r;
    run_script(&r, "require \"fileinto\"; filleinto \"x\"; if heder :contians \"a\" \"b\" { keep; } if header :contians \"a\" \"b\" { keep; } xyzzy;");
    ck_assert_uint_eq(r.errors, 4);
    const diag_record *d = diag_get(r.diag, 0);
    ck_assert_str_eq(d->id, "unknown-command");
    ck_assert_ptr_nonnull(strstr(d->notes[0].message, "did you mean 'fileinto'?"));
    d = diag_get(r.diag, 1);
    ck_assert_str_eq(d->id, "unknown-test");
    ck_assert_ptr_nonnull(strstr(d->notes[0].message, "'header'"));
    d = diag_get(r.diag, 2);
    ck_assert_str_eq(d->id, "unknown-tag");
    ck_assert_ptr_nonnull(strstr(d->notes[0].message, "':contains'"));
    d = diag_get(r.diag, 3);
    ck_assert_str_eq(d->id, "unknown-command");
    ck_assert_uint_eq(d->nnotes, 1);   /* no suggestion for xyzzy */
    run_free(&r);
}
END_TEST

/* Requiring a command by name gets a note saying where it comes from. */
START_TEST(test_require_command_note)
{
    run r;
    run_script(&r, "require [\"keep\", \"setflag\"];");
    ck_assert_uint_eq(r.errors, 2);
    ck_assert_uint_eq(diag_get(r.diag, 0)->nnotes, 1);
    ck_assert_ptr_nonnull(strstr(diag_get(r.diag, 0)->notes[0].message, "base language"));
    ck_assert_ptr_nonnull(strstr(diag_get(r.diag, 1)->notes[0].message, "require \"imap4flags\""));
    run_free(&r);
}
END_TEST

/* if (not ...) gets a note suggesting to drop the parentheses. */
START_TEST(test_test_list_note)
{
    run r;
    run_script(&r, "require [\"reject\"];\n"
                   "if (not header :is \"From\" [\"peter@example.org\"]) {\n"
                   "  reject \"no\";\n}\n");
    ck_assert_uint_eq(r.errors, 1);
    const diag_record *d = diag_get(r.diag, 0);
    ck_assert_str_eq(d->id, "test-list-not-allowed");
    ck_assert_uint_eq(d->nnotes, 1);
    ck_assert_ptr_nonnull(strstr(d->notes[0].message, "drop them"));
    ck_assert_ptr_nonnull(strstr(d->notes[0].message, "if not"));
    run_free(&r);
}
END_TEST

/* Annotations that later phases read. */
START_TEST(test_annotations)
{
    run r;
    run_script(&r, "require [\"relational\", \"comparator-i;ascii-numeric\", \"envelope\", \"subaddress\"];\n"
                   "if header :value \"ge\" :comparator \"i;ascii-numeric\" [\"X-Spam-Score\", \"x-spam-score\"] \"5\" { discard; }\n"
                   "if envelope :user \"to\" \"bob\" { keep; }\n"
                   "if address :domain \"From\" \"example.org\" { keep; }\n");
    ck_assert_uint_eq(r.errors, 0);
    const ast_node *iff = r.script->top.cmds[1];
    const ast_node *h = iff->tests[0];
    ck_assert_ptr_nonnull(h->def);
    ck_assert_int_eq(h->def->id, REG_DEF_HEADER);
    const sema_node *sn = h->sema;
    ck_assert(sn->has_match);
    ck_assert_int_eq(sn->match.match_type, REG_MATCH_VALUE);
    ck_assert_int_eq(sn->match.relop, REG_REL_GE);
    ck_assert_int_eq(sn->match.comparator->id, REG_CMP_ASCII_NUMERIC);
    ck_assert_uint_eq(sn->npos, 2);
    ck_assert_int_eq(sn->pos[0]->kind, AST_ARG_STRING_LIST);
    ck_assert_int_eq(sn->pos[1]->kind, AST_ARG_STRING);
    ck_assert_uint_eq(sn->ntags, 2);
    ck_assert_ptr_nonnull(sema_node_tag(sn, REG_TAG_COMPARATOR));
    ck_assert_ptr_null(sema_node_tag(sn, REG_TAG_IS));
    ck_assert_ptr_eq(sema_node_keys(sn), sn->pos[1]);
    ck_assert_ptr_null(sema_node_keys(r.script->top.cmds[1]->block->cmds[0]->sema));

    const sema_node *env = r.script->top.cmds[2]->tests[0]->sema;
    ck_assert_int_eq(env->match.addrpart, REG_AP_USER);
    ck_assert_int_eq(env->match.match_type, REG_MATCH_IS);
    ck_assert_int_eq(env->match.comparator->id, REG_CMP_ASCII_CASEMAP);
    const sema_node *ad = r.script->top.cmds[3]->tests[0]->sema;
    ck_assert_int_eq(ad->match.addrpart, REG_AP_DOMAIN);

    ck_assert(r.res->reads_envelope);
    ck_assert(r.res->reads_headers);
    ck_assert(!r.res->reads_body);
    ck_assert(r.res->recipient_dependent);
    ck_assert(!r.res->uses_variables);
    ck_assert_uint_eq(r.res->nheader_names, 2);
    ck_assert_str_eq(r.res->header_names[0], "x-spam-score");
    ck_assert_str_eq(r.res->header_names[1], "from");
    ck_assert(!r.res->headers_dynamic);

    src_span sp;
    ck_assert(sema_ext_required(r.res, REG_EXT_RELATIONAL, &sp));
    ck_assert_uint_eq(sp.start, 9);
    ck_assert(sema_ext_used(r.res, REG_EXT_RELATIONAL));
    ck_assert(sema_ext_used(r.res, REG_EXT_SUBADDRESS));
    ck_assert(sema_ext_used(r.res, REG_EXT_COMPARATOR_ASCII_NUMERIC));
    ck_assert(!sema_ext_required(r.res, REG_EXT_FILEINTO, NULL));
    ck_assert(sema_ext_used(r.res, REG_EXT_COMPARATOR_ASCII_CASEMAP));   /* the default one */
    run_free(&r);

    /* Required but unused extensions stay unused. */
    run_script(&r, "require [\"encoded-character\", \"variables\", \"comparator-i;octet\", \"vacation-seconds\"];\n"
                   "vacation \"x\";");
    ck_assert_uint_eq(r.errors, 0);
    ck_assert(sema_ext_required(r.res, REG_EXT_ENCODED_CHARACTER, NULL));
    ck_assert(!sema_ext_used(r.res, REG_EXT_ENCODED_CHARACTER));
    ck_assert(!sema_ext_used(r.res, REG_EXT_VARIABLES));
    ck_assert(!sema_ext_used(r.res, REG_EXT_COMPARATOR_OCTET));
    ck_assert(!sema_ext_used(r.res, REG_EXT_VACATION_SECONDS));
    ck_assert(sema_ext_used(r.res, REG_EXT_VACATION));
    ck_assert(!sema_ext_required(r.res, REG_EXT_VACATION, NULL));   /* only implied */
    ck_assert(r.res->required & REG_EXT_BIT(REG_EXT_VACATION));
    run_free(&r);
    run_script(&r, "require [\"encoded-character\", \"variables\", \"comparator-i;octet\"];\n"
                   "if header :comparator \"i;octet\" \"x\" \"${hex:41}${a}\" { keep; }");
    ck_assert_uint_eq(r.errors, 0);
    ck_assert(sema_ext_used(r.res, REG_EXT_ENCODED_CHARACTER));
    ck_assert(sema_ext_used(r.res, REG_EXT_VARIABLES));
    ck_assert(sema_ext_used(r.res, REG_EXT_COMPARATOR_OCTET));
    run_free(&r);
}
END_TEST

START_TEST(test_optional_leading_param)
{
    run r;
    run_script(&r, "require [\"imap4flags\", \"variables\"]; addflag \"a\"; addflag \"v\" \"b\";\n"
                   "require \"editheader\";");
    ck_assert_uint_eq(r.errors, 1);   /* the late require only */
    run_free(&r);
    run_script(&r, "require [\"imap4flags\", \"variables\", \"editheader\"]; addflag \"a\"; addflag \"v\" \"b\"; deleteheader \"x\";");
    ck_assert_uint_eq(r.errors, 0);
    const sema_node *a1 = r.script->top.cmds[1]->sema;
    ck_assert_ptr_null(a1->pos[0]);
    ck_assert_ptr_nonnull(a1->pos[1]);
    const sema_node *a2 = r.script->top.cmds[2]->sema;
    ck_assert_ptr_nonnull(a2->pos[0]);
    ck_assert_str_eq(a2->pos[0]->u.string.text, "v");
    const sema_node *dh = r.script->top.cmds[3]->sema;
    ck_assert_ptr_nonnull(dh->pos[0]);
    ck_assert_ptr_null(dh->pos[1]);
    run_free(&r);
}
END_TEST

START_TEST(test_encoded_character)
{
    run r;
    run_script(&r, "require \"encoded-character\";\n"
                   "if header :is \"x\" [\"${hex: 40 41 }b\", \"${unicode:e9}\", \"${hex:4x}\", \"${HEX:00}\", \"$${hex:24}\"] { keep; }");
    ck_assert_uint_eq(r.errors, 0);
    const ast_arg *keys = r.script->top.cmds[1]->tests[0]->sema->pos[1];
    ck_assert_str_eq(keys->u.list.items[0].text, "@Ab");
    ck_assert_uint_eq(keys->u.list.items[0].len, 3);
    ck_assert_str_eq(keys->u.list.items[1].text, "\xc3\xa9");
    ck_assert_str_eq(keys->u.list.items[2].text, "${hex:4x}");
    ck_assert_uint_eq(keys->u.list.items[3].len, 1);
    ck_assert_int_eq(keys->u.list.items[3].text[0], 0);
    ck_assert_str_eq(keys->u.list.items[4].text, "$$");
    run_free(&r);
    /* Without the require nothing is decoded. */
    run_script(&r, "if header :is \"x\" \"${hex:40}\" { keep; }");
    ck_assert_uint_eq(r.errors, 0);
    ck_assert_str_eq(r.script->top.cmds[0]->tests[0]->sema->pos[1]->u.string.text, "${hex:40}");
    run_free(&r);
}
END_TEST

START_TEST(test_variables_split)
{
    run r;
    run_script(&r, "require \"variables\";\n"
                   "set :upper :length \"n\" \"a${X}b${1}${\x24{c}}\";\n");
    ck_assert_uint_eq(r.errors, 0);
    const sema_node *sn = r.script->top.cmds[1]->sema;
    ck_assert_uint_eq(sn->nmodifiers, 2);
    ck_assert_int_eq(sn->modifiers[0]->id, REG_TAG_UPPER);
    ck_assert_int_eq(sn->modifiers[1]->id, REG_TAG_LENGTH);
    ck_assert_ptr_null(sema_node_string(sn, &sn->pos[0]->u.string));
    const sema_str *st = sema_node_string(sn, &sn->pos[1]->u.string);
    ck_assert_ptr_nonnull(st);
    /* "a" ${x} "b" ${1} "${" ${c} "}" */
    ck_assert_uint_eq(st->nparts, 7);
    ck_assert_int_eq(st->parts[0].kind, SEMA_PART_TEXT);
    ck_assert_int_eq(st->parts[1].kind, SEMA_PART_VAR);
    ck_assert_str_eq(st->parts[1].text, "x");
    ck_assert_int_eq(st->parts[3].kind, SEMA_PART_MATCH);
    ck_assert_uint_eq(st->parts[3].index, 1);
    ck_assert_int_eq(st->parts[4].kind, SEMA_PART_TEXT);
    ck_assert_uint_eq(st->parts[4].len, 2);
    ck_assert_str_eq(st->parts[5].text, "c");
    ck_assert(r.res->uses_variables);
    run_free(&r);

    ck_assert(sema_valid_variable_name("a_1", 3));
    ck_assert(sema_valid_variable_name("global.x", 8));
    ck_assert(!sema_valid_variable_name("1a", 2));
    ck_assert(!sema_valid_variable_name("", 0));
    ck_assert(!sema_valid_variable_name("a.", 2));
    sema_part *parts;
    ck_assert_uint_eq(sema_split_variables(NULL, "no refs ${", 10, &parts), 0);
    ck_assert_uint_eq(sema_split_variables(NULL, "${a}", 4, &parts), 1);
}
END_TEST

START_TEST(test_loops)
{
    run r;
    run_script(&r, "require [\"foreverypart\", \"mime\"];\n"
                   "foreverypart :name \"o\" { foreverypart { if header :mime \"content-type\" \"x\" { break :name \"o\"; } break; } }");
    ck_assert_uint_eq(r.errors, 0);
    const ast_node *outer = r.script->top.cmds[1];
    const ast_node *inner = outer->block->cmds[0];
    const ast_node *iff = inner->block->cmds[0];
    const ast_node *brk_named = iff->block->cmds[0];
    const ast_node *brk = inner->block->cmds[1];
    ck_assert_ptr_null(outer->sema->loop);
    ck_assert_ptr_eq(inner->sema->loop, outer);
    ck_assert_ptr_eq(iff->tests[0]->sema->loop, inner);
    ck_assert_ptr_eq(brk_named->sema->loop, outer);
    ck_assert_ptr_eq(brk->sema->loop, inner);
    ck_assert(r.res->reads_body);
    run_free(&r);
}
END_TEST

START_TEST(test_variable_count_limit)
{
    char *text = malloc(64 * 300 + 64);
    strcpy(text, "require \"variables\";\n");
    for (int i = 0; i < 256; i++)
        sprintf(text + strlen(text), "set \"v%d\" \"x\";\n", i);
    run r;
    run_script(&r, text);
    ck_assert_uint_eq(r.errors, 1);
    ck_assert_str_eq(diag_get(r.diag, 0)->id, "limit-exceeded");
    unsigned line, col;
    source_position(r.src, diag_get(r.diag, 0)->span.start, &line, &col);
    ck_assert_uint_eq(line, 257);
    run_free(&r);
    free(text);
}
END_TEST

/* Many distinct names must not make the checker quadratic. */
START_TEST(test_many_names)
{
    size_t n = 25000;
    char *text = malloc(n * 64 + 64);
    char *p = text;
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "if exists \"x-h%zu\" { frob%zu; }\n", i, i);
    run r;
    run_script(&r, text);
    ck_assert_uint_eq(r.errors, n);   /* one unknown-command per distinct name */
    ck_assert_uint_eq(r.res->nheader_names, n);
    ck_assert_str_eq(r.res->header_names[n - 1], "x-h24999");
    run_free(&r);
    free(text);

    /* A long list of strings with variables in one test: memory stays
     * linear in the list. */
    n = 9000;
    text = malloc(n * 12 + 128);
    p = text + sprintf(text, "require \"variables\"; if header :is \"x\" [");
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s\"${v%zu}\"", i ? "," : "", i % 200);
    strcpy(p, "] { keep; }");
    run_script(&r, text);
    ck_assert_uint_eq(r.errors, 0);
    ck_assert_uint_eq(r.script->top.cmds[1]->tests[0]->sema->nstrs, n);
    ck_assert_uint_lt(arena_used(r.script->arena), 16u * 1024 * 1024);
    run_free(&r);
    free(text);
}
END_TEST

static bool count_visit(const ast_node *node, const ast_node *parent, unsigned depth, void *ctx)
{
    size_t *n = ctx;
    (void)parent;
    if (strcmp(node->name, "stop") == 0)
        return false;
    n[0]++;
    if (depth > n[1])
        n[1] = depth;
    return true;
}

START_TEST(test_walk)
{
    run r;
    run_script(&r, "if allof (true, not false) { keep; } discard; stop; keep;");
    ck_assert_uint_eq(r.errors, 0);
    size_t n[2] = { 0, 0 };
    ck_assert(!sema_walk(r.script, count_visit, n));
    ck_assert_uint_eq(n[0], 7);    /* if allof true not false keep discard */
    ck_assert_uint_eq(n[1], 3);    /* false under not under allof under if */
    run_free(&r);
}
END_TEST

START_TEST(test_ihave_dead_block)
{
    run r;
    run_script(&r, "require \"ihave\"; if ihave \"x-frob\" { frob; } ");
    ck_assert_uint_eq(r.errors, 0);
    ck_assert(r.script->top.cmds[1]->sema->dead_block);
    ck_assert_ptr_null(r.script->top.cmds[1]->block->cmds[0]->def);
    run_free(&r);
}
END_TEST

START_TEST(test_registry)
{
    ck_assert_ptr_nonnull(reg_ext_lookup("fileinto"));
    ck_assert_ptr_null(reg_ext_lookup("FileInto"));
    ck_assert_ptr_null(reg_ext_lookup(""));
    ck_assert(reg_ext_closure(REG_EXT_BIT(REG_EXT_VACATION_SECONDS)) & REG_EXT_BIT(REG_EXT_VACATION));
    ck_assert(reg_ext_closure(REG_EXT_BIT(REG_EXT_SPAMTESTPLUS)) & REG_EXT_BIT(REG_EXT_SPAMTEST));
    ck_assert_int_eq(reg_relop_parse("Ne", 2), REG_REL_NE);
    ck_assert_int_eq(reg_relop_parse("n", 1), REG_REL_NONE);
    ck_assert_int_eq(reg_datepart_parse("ISO8601", 7), REG_DP_ISO8601);
    ck_assert_int_eq(reg_comparator_lookup("I;OCTET")->id, REG_CMP_OCTET);
    ck_assert(!(reg_comparator_get(REG_CMP_ASCII_NUMERIC)->caps & REG_CMP_SUBSTRING));
    /* Every def has a unique name per kind and a valid id. */
    for (size_t i = 0; i < reg_def_count(); i++) {
        const reg_def *d = reg_def_at(i);
        ck_assert_ptr_eq(reg_def_lookup(d->kind, d->name), d);
        ck_assert_ptr_eq(reg_def_get(d->id), d);
        ck_assert_uint_le(d->nparams, REG_MAX_PARAMS);
    }
    ck_assert_ptr_null(reg_def_at(reg_def_count()));
    for (size_t i = 0; i < reg_ext_count(); i++)
        ck_assert_int_eq(reg_ext_at(i)->id, (int)i);
    ck_assert(reg_tag_known("copy"));
    ck_assert(!reg_tag_known("frob"));
}
END_TEST

/* Hostile input: long, deep, odd; nothing may crash. */
START_TEST(test_hostile)
{
    run r;
    /* A 5000-byte regex beyond the limit. */
    size_t n = 5000;
    char *big = malloc(n + 200);
    strcpy(big, "require \"regex\"; if header :regex \"a\" \"");
    size_t l = strlen(big);
    memset(big + l, 'a', n);
    strcpy(big + l + n, "\" { keep; }");
    run_script(&r, big);
    ck_assert_uint_eq(r.errors, 1);
    ck_assert_str_eq(diag_get(r.diag, 0)->id, "limit-exceeded");
    run_free(&r);
    free(big);
    /* Many unknown commands and tags. */
    char *many = malloc(20 * 1000 + 1);
    many[0] = 0;
    for (int i = 0; i < 1000; i++)
        strcat(many, "x :y \"${hex:\" [\"\"];");
    run_script(&r, many);
    ck_assert_uint_eq(r.errors, 1);
    run_free(&r);
    free(many);
    /* ihave with bad arguments guarding a block. */
    run_script(&r, "require [\"relational\"]; if ihave { reject \"x\"; } if ihave \"x\" \"y\" { frob; }");
    ck_assert_uint_ge(r.errors, 2);
    run_free(&r);
    /* Truncated escapes and references. */
    run_script(&r, "require [\"encoded-character\", \"variables\"]; set \"a\" \"${unicode:FFFFFFFFFFFFFFFFFFFF}${hex:${}${\";");
    ck_assert_uint_eq(r.errors, 1);
    run_free(&r);
    /* Nesting up to the parser's limit checks fine (the parser refuses
     * deeper trees before sema sees them). */
    char deep[4096] = "";
    for (int i = 0; i < 15; i++)
        strcat(deep, "if not not true {");
    strcat(deep, "keep;");
    for (int i = 0; i < 15; i++)
        strcat(deep, "}");
    run_script(&r, deep);
    ck_assert_uint_eq(r.errors, 0);
    run_free(&r);
}
END_TEST

static Suite *sema_suite(void)
{
    Suite *s = suite_create("sema");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_ok, 0, sizeof ok_cases / sizeof ok_cases[0]);
    tcase_add_loop_test(tc, test_bad, 0, sizeof bad_cases / sizeof bad_cases[0]);
    tcase_add_test(tc, test_unknown_once);
    tcase_add_test(tc, test_test_list_note);
    tcase_add_test(tc, test_require_command_note);
    tcase_add_test(tc, test_did_you_mean);
    tcase_add_test(tc, test_annotations);
    tcase_add_test(tc, test_optional_leading_param);
    tcase_add_test(tc, test_encoded_character);
    tcase_add_test(tc, test_variables_split);
    tcase_add_test(tc, test_ihave_dead_block);
    tcase_add_test(tc, test_loops);
    tcase_add_test(tc, test_walk);
    tcase_add_test(tc, test_many_names);
    tcase_add_test(tc, test_variable_count_limit);
    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_hostile);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sema_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
