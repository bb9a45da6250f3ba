REQUIRE "fileinto";
IF Header :CONTAINS "Subject" "x" {
  FileInto "a";
} ElsIf SIZE :Over 1k {
  Keep;
} ELSE {
  Stop;
}
