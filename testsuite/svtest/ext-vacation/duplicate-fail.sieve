# RFC 7352 3: this run fails (too many redirects), so its mark must not
# be recorded.
require "duplicate";
if duplicate :uniqueid "fail-18" {
    keep;
}
redirect "r1@example.com";
redirect "r2@example.com";
redirect "r3@example.com";
redirect "r4@example.com";
redirect "r5@example.com";
