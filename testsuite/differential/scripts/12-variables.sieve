# Variables: every modifier, match variables, the string test.
require ["fileinto", "variables", "relational", "comparator-i;ascii-numeric"];

set "default" "misc";
if header :matches "From" "*<*@*>*" {
    set :lower "domain" "${3}";
    set :upperfirst :lower "user" "${2}";
} else {
    set "domain" "unknown";
    set "user" "Nobody";
}
set :length "ulen" "${user}";
if string :value "gt" :comparator "i;ascii-numeric" "${ulen}" "12" {
    fileinto "long-user";
}
if header :matches "Subject" "*: *" {
    set :upper "prefix" "${1}";
    set :quotewildcard "rest" "${2}";
    if string :is "${prefix}" ["RE", "AW"] {
        fileinto "replies.${domain}";
        stop;
    }
}
if string :matches "${domain}" "*.*" {
    set :lowerfirst "d" "${domain}";
    fileinto "from.${d}";
} else {
    fileinto "${default}";
}
