require "fileinto";
# Comment markers inside strings are text, and a hash comment may hold */.
if header :contains "Subject" ["/* not a comment */", "# not a comment"] { # */
  fileinto "a/*b*/#c";
}
/* a bracket comment may hold # and "quotes" and /* but ends at the first */
keep;
