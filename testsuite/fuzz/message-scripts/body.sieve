# fuzz_message script 2: the MIME and body path. Structure parsing,
# transfer decoding (base64, quoted-printable), charset conversion, HTML to
# text, preambles and epilogues, nested messages.
require ["body", "fileinto", "regex", "variables", "comparator-i;unicode-casemap", "copy"];

if body :raw :contains "begin 644" { fileinto "uu"; }
if body :raw :regex "^--[^[:space:]]+--$" { fileinto :copy "closed"; }
if body :text :contains :comparator "i;unicode-casemap" ["viagra", "ÄÖÜ", "€"] { fileinto "text"; }
if body :text :matches "*http*://*/*" { set "host" "${3}"; fileinto "link.${host}"; }
if body :content "text/html" :contains "<a" { fileinto "html"; }
if body :content "multipart" :contains "MIME" { fileinto "preamble"; }
if body :content "message/rfc822" :contains "From:" { fileinto "nested"; }
if body :content ["image", "application"] :contains "" { fileinto "attach"; }
if body :content "" :regex "[0-9]{3,}" { fileinto "digits"; }
if body :content "text" :is "" { fileinto "empty"; }
