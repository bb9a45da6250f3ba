# Forwarding and refusing: redirect (with and without :copy), reject with a
# multi-line reason, discard, cancellation of the implicit keep, stop.
require ["copy", "reject", "fileinto"];

if header :contains "Subject" ["viagra", "mortgage", "FREE!"] {
    reject text:
Your message was refused by the recipient's filter.
Contact postmaster@example.org if this is an error.
.
;
    stop;
}
if header :contains "List-Id" "linux-raid" {
    redirect :copy "raid-archive@example.org";
}
if address :domain :is "from" "example.sourceforge.net" {
    redirect "sf@example.org";
    redirect "sf-backup@example.org";
}
if header :contains "Subject" "out of office" {
    discard;
    stop;
}
if header :contains "Precedence" "junk" {
    keep;
    discard;
}
