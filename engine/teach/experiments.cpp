#include "engine/teach/experiment.h"
