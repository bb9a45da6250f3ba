require ["variables", "fileinto", "envelope", "subaddress", "date", "mailbox"];
# Archive by year and month, plus-address folders, a counter-like flag.
if currentdate :matches "year" "*" { set "year" "${1}"; }
if currentdate :matches "month" "*" { set "month" "${1}"; }
if envelope :detail :matches "to" "*" {
  set :lower :upperfirst "tag" "${1}";
  if not string :is "${tag}" "" {
    fileinto :create "Tagged/${tag}";
    stop;
  }
}
if header :matches "From" "* <*@*>" {
  set "name" "${1}";
  set "domain" "${3}";
  set :quotewildcard "qdomain" "${domain}";
  set :length "namelen" "${name}";
}
set "archive" "Archive/${year}/${month}";
fileinto :create "${archive}";
