# A multi-line string is a string wherever a string is allowed.
if header :contains "Subject" text:
free money
.
{
  discard;
}
