# Tests nested 40 deep.
if not not not not not not not not not not not not not not not not not not not not
   not not not not not not not not not not not not not not not not not not not not true { keep; }
