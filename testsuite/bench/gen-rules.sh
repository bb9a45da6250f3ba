#!/bin/sh
# gen-rules.sh N [SEED] [PROFILE]: writes a Sieve script of N rules to
# standard output.
#
# PROFILE picks the extensions (the random draws are the same, so the rule
# shapes stay alike):
#   full      (default) everything below, with imap4flags' addflag
#   native    what sievec's code generator executes: no imap4flags (addflag
#             becomes fileinto :copy); the compile-time benchmark uses it
#   fileinto  every action is a fileinto (:copy, or followed by stop)
#   header    header, address, exists and size tests only, fileinto /
#             discard / keep / stop, require "fileinto" alone: runs in GNU
#             Mailutils' sieve too (no envelope, relational, reject,
#             redirect, copy or imap4flags)
#
# Deterministic (same N and SEED, same bytes, on any machine: the generator
# is awk with its own Park-Miller random numbers, not awk's rand()). The
# rules look like real filters: header, address and envelope tests with
# :is / :contains / :matches, string lists, anyof/allof/not, size and
# relational tests, elsif chains, and fileinto / reject / discard /
# redirect / keep / stop / addflag. Used by frontend.sh and the smoke test.
set -eu
n=${1:?usage: gen-rules.sh N [SEED] [PROFILE]}
seed=${2:-12345}
profile=${3:-full}
case $profile in
full|native|fileinto|header) ;;
*) echo "gen-rules.sh: unknown profile $profile (full, native, fileinto, header)" >&2; exit 2 ;;
esac
exec awk -v n="$n" -v seed="$seed" -v profile="$profile" '
function rnd(k) {               # 0 .. k-1; 16807 * (2^31-1) stays exact in doubles
    seed = (seed * 16807) % 2147483647
    return int(seed / 2147483647 * k)
}
function pick(list,    a, c) { c = split(list, a, "|"); return a[rnd(c) + 1] }
function word() { return pick("alpha|beta|gamma|delta|invoice|meeting|report|urgent|newsletter|release|security|backup|cron|build|review|offer|sale|digest|weekly|alert") }
function domain() { return pick("example.org|example.com|example.net|lists.example.org|mail.example.com|corp.example|partner.example.net|shop.example") }
function user() { return pick("alice|bob|carol|dave|erin|frank|grace|heidi|ivan|judy|mallory|oscar|peggy|trent|victor|walter") }
function strlist(kind,    k, i, s) {
    k = 1 + rnd(4)
    if (k == 1) return "\"" kind_str(kind) "\""
    s = "["
    for (i = 0; i < k; i++) s = s (i ? ", " : "") "\"" kind_str(kind) "\""
    return s "]"
}
function kind_str(kind) {
    if (kind == ":all") return user() "@" domain()
    if (kind == ":domain") return domain()
    if (kind == ":localpart") return user()
    if (kind == "glob") return pick("*" word() "*|[" word() "]*|*@" domain() "|" word() "-?*|*" user() "*")
    return word() (rnd(3) ? "" : " " word())
}
function hdr() { return pick("Subject|From|To|Cc|List-Id|X-Mailer|Reply-To|X-Priority|Sender|X-Original-To") }
function test(depth,    r, mt, part, i, k, s) {
    r = rnd(depth > 1 ? 9 : 12)
    if (profile == "header" && (r == 5 || r == 7)) r = 0
    if (r <= 2) {
        mt = pick(":is|:contains|:contains|:matches")
        return "header " mt " " (rnd(3) ? "\"" hdr() "\"" : "[\"" hdr() "\", \"" hdr() "\"]") " " strlist(mt == ":matches" ? "glob" : "w")
    }
    if (r <= 4) {
        mt = pick(":is|:matches|:contains")
        part = pick(":all|:localpart|:domain|:domain")
        return "address " part " " mt " " pick("\"from\"|\"to\"|[\"to\", \"cc\"]|\"sender\"") " " strlist(mt == ":matches" ? "glob" : part)
    }
    if (r == 5) {
        part = pick(":all|:domain|:localpart")
        return "envelope " part " :is " pick("\"from\"|\"to\"") " " strlist(part)
    }
    if (r == 6) return "size " pick(":over|:under") " " (1 + rnd(900)) pick("K|K|M|")
    if (r == 7) return "header :value \"ge\" :comparator \"i;ascii-numeric\" \"X-Spam-Score\" \"" (3 + rnd(10)) "\""
    if (r == 8) return (rnd(2) ? "exists " : "not exists ") (rnd(2) ? "\"" hdr() "\"" : "[\"" hdr() "\", \"" hdr() "\"]")
    k = 2 + rnd(2)
    s = (r <= 9 ? "anyof" : r <= 10 ? "allof" : "not anyof") " ("
    for (i = 0; i < k; i++) s = s (i ? ",\n        " : "") test(depth + 1)
    return s ")"
}
function action(    r) {
    r = rnd(20)
    if (profile == "fileinto") {
        if (r <= 11) return "fileinto \"" pick("Lists|Work|Spam|Archive|Receipts|Alerts") "/" word() rnd(50) "\";"
        if (r <= 15) return "fileinto :copy \"" pick("Backup|Audit") "\";"
        return "fileinto \"INBOX." word() "\";\n    stop;"
    }
    if (profile == "header") {
        if (r >= 10 && r <= 11) return "discard;"
        if (r >= 8 && r <= 17) return "fileinto \"" pick("Lists|Work|Spam|Archive") "/" word() rnd(50) "\";"
    }
    if (profile == "native" && r >= 16 && r <= 17) return "fileinto :copy \"Flagged\";"
    if (r <= 7) return "fileinto \"" pick("Lists|Work|Spam|Archive|Receipts|Alerts") "/" word() rnd(50) "\";"
    if (r <= 9) return "fileinto :copy \"" pick("Backup|Audit") "\";"
    if (r <= 11) return "reject \"Refused by policy " rnd(1000) ": " word() " not accepted here.\";"
    if (r <= 13) return "discard;"
    if (r <= 15) return "redirect \"" user() "@" domain() "\";"
    if (r <= 17) return "addflag \"\\\\Flagged\";"
    if (r == 18) return "keep;"
    return "fileinto \"INBOX." word() "\";\n    stop;"
}
BEGIN {
    if (seed < 1) seed = 1
    print "# " n " generated rules (testsuite/bench/gen-rules.sh " n " " seed (profile == "full" ? "" : " " profile) ")"
    if (profile == "header")
        print "require \"fileinto\";"
    else if (profile == "full")
        print "require [\"fileinto\", \"reject\", \"envelope\", \"relational\",\n         \"comparator-i;ascii-numeric\", \"copy\", \"imap4flags\"];"
    else
        print "require [\"fileinto\", \"reject\", \"envelope\", \"relational\",\n         \"comparator-i;ascii-numeric\", \"copy\"];"
    print ""
    for (i = 1; i <= n; i++) {
        if (i % 100 == 1) print "# rules " i " to " (i + 99)
        if (rnd(5) == 0 && i < n) {
            # an if/elsif/else chain counts as two rules
            print "if " test(0) " {\n    " action() "\n} elsif " test(0) " {\n    " action() "\n} else {\n    " action() "\n}"
            i++
        } else {
            print "if " test(0) " {\n    " action() (rnd(4) ? "" : "\n    stop;") "\n}"
        }
    }
}'
