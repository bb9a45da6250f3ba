include "common";
