require "fileinto";
# RFC 5228 2.4.2: \" and \\ are escapes; any other escaped character
# stands for itself ("\a" is "a").
if header :is "Subject" "a \"quoted\" word" { keep; }
if header :is "Subject" "back\\slash" { keep; }
if header :is "Subject" "\a\b\c \n" { keep; }
if header :is "Subject" "" { keep; }
fileinto "Folder\\Sub\"Odd";
