require "comparator-i;no-such-comparator";
