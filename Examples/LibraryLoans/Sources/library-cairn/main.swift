import CairnCLI
import LibraryLoans

// The operators' `library-cairn`: Cairn's command line and console with the library's handlers.
CairnCommandLine.main(LibraryApplication.application)
