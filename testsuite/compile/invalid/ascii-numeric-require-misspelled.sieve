require "comparator-ascii-numeric";
