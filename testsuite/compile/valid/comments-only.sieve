# A script with nothing but comments.
/* A bracket comment
   spanning lines, with * and / inside: a*b/c */
# Another hash comment with "quotes" and { braces }
