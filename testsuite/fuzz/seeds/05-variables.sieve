require ["variables", "fileinto", "envelope", "subaddress"];
if header :matches "Subject" "[*] *" {
    set :lower :upperfirst "list" "${1}";
    set "rest" "${2}";
    fileinto "lists/${list}";
}
if envelope :detail "to" "*" { set :length "n" "${1}"; }
set :quotewildcard "q" "a*b?c";
if string :is "${q}" "a\\*b\\?c" { stop; }
set "a.b" "namespace";
