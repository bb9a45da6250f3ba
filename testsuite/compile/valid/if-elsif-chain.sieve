require "fileinto";
if header :contains "List-Id" "a.example.org" {
  fileinto "a";
} elsif header :contains "List-Id" "b.example.org" {
  fileinto "b";
} elsif header :contains "List-Id" "c.example.org" {
  fileinto "c";
} elsif header :contains "List-Id" "d.example.org" {
  fileinto "d";
} else {
  keep;
}
