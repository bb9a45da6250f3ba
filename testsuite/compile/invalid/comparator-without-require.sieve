if header :comparator "i;ascii-numeric" :is "X-Priority" "1" { keep; }
