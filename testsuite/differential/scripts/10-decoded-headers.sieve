# Header values are compared after RFC 2047 decoding to UTF-8: non-ASCII
# keys against encoded subjects and names, i;ascii-casemap (which folds
# ASCII letters only) and i;octet. (Pigeonhole 0.5 has no
# i;unicode-casemap, so that comparator is left to the svtest suites.)
require ["copy", "fileinto"];

if header :contains "Subject" ["ä", "ö", "ü", "é", "ß", "Ä", "Ö", "Ü"] {
    fileinto "umlauts";
}
if header :contains :comparator "i;ascii-casemap" ["From", "Subject"] ["Ü", "raid", "ИЗ"] {
    fileinto :copy "raid-or-u";
}
if header :contains "From" ["=?", "?="] {
    fileinto "undecoded-word";
}
if header :matches :comparator "i;octet" "Subject" "*[*]*" {
    fileinto "tagged";
}
if header :is "Subject" "" {
    fileinto "empty-subject";
}
if header :contains ["Subject", "From"] ["€", "™", "中", "日本"] {
    fileinto "non-latin";
}
