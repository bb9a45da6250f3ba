require ["editheader", "variables", "encoded-character"];
# RFC 5293 4: a line end that is not a fold would inject a header field.
set "v" "harmless${hex:0A}Bcc: victim@example.com";
addheader "X-Inject" "${v}";
keep;
