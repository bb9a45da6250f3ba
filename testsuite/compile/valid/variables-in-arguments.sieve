require ["variables", "fileinto", "date", "vacation"];
# Variables may stand in most string arguments (RFC 5229 3), checked at run time.
set "f" "INBOX";
set "to" "a@example.org";
set "p" "year";
fileinto "${f}";
redirect "${to}";
if currentdate :is "${p}" "2026" { keep; }
vacation :from "${to}" :subject "${f}" "away";
