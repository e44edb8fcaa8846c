import CairnCLI
import CairnDemo

// The `cairn` executable is the demo application's own command line: the same
// public call any application makes with its handlers, projections and seeds.
CairnCommandLine.main(DemoApplication.application)
