require ["variables", "fileinto"];
# RFC 5229 examples.
set "honorific" "Mr";
set "first_name" "Wile";
set "last_name" "Coyote";
set "vacation" text:
Dear ${HONORIFIC} ${last_name},
I'm out, please leave a message after the meep.
.
;
set :lower "lower" "BIG";
set :upper "upper" "small";
set :lowerfirst "lf" "Big";
set :upperfirst "uf" "small";
set :quotewildcard "qw" "*?\\";
set :length "len" "${vacation}";
set :upper :lowerfirst "mixed" "${first_name}";
set :lower :upperfirst "name" "${last_name}";
if header :matches "List-ID" "*<*@*" {
  fileinto "INBOX.lists.${2}"; stop;
}
if header :matches "Subject" "[*] *" {
  fileinto "INBOX.lists.${1}"; stop;
}
if string :is "${unset_variable}" "" { keep; }
if string :matches " ${state} " "* pending *" { keep; }
