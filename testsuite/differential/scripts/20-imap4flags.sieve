# Flags: the internal variable, named variables, :flags on fileinto and
# the flags of the implicit keep.
require ["imap4flags", "fileinto", "variables", "copy"];
if exists "List-Id" {
    addflag "$List";
    if header :contains "Subject" "[PATCH" { addflag "tagged" "$Patch"; }
}
if header :contains ["X-Spam-Flag", "X-Spam-Status"] ["YES", "Yes,"] {
    setflag "\\Seen $Junk";
    fileinto :flags "${tagged} \\Flagged" "Junk";
}
if hasflag :contains "$list" { addflag "\\Seen"; }
if hasflag :is ["tagged"] "$patch" { fileinto :copy :flags "\\Flagged" "Patches"; }
if header :contains "Subject" ["urgent", "important"] { addflag ["\\Flagged", "$Important"]; }
if size :over 100K { removeflag "\\Seen"; addflag "$Big"; fileinto :copy "Big"; }
if hasflag :matches "$*" { fileinto :copy "has-keyword"; }
