require ["index", "variables", "fileinto", "regex"];
# Look at the first Received header only: who handed us the message.
if header :index 1 :regex "Received" "from ([^ ]+) \\(" {
  set "relay" "${1}";
  if string :regex "${relay}" "\\.example\\.org$" { keep; stop; }
}
fileinto "External";
