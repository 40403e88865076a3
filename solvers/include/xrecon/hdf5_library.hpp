#pragma once
// The process-wide settings of the HDF5 library, made where xrecon first uses it (the model
// reader here, the io plugin's files).
namespace xrecon {

// Call before any other HDF5 function on a thread. Turns off HDF5's printing of its error stack
// (our exceptions name the file and what failed) and keeps HDF5 from registering its shutdown to
// run at exit: after a close that failed (a full disk while flushing), HDF5 1.10's file object
// is half torn down and its shutdown crashes on it (SIGSEGV in H5F__close_cb), turning a clear
// "disk full" error into a segfault. Every file we write is closed, or deleted, before exit.
void prepare_hdf5_library();

}  // namespace xrecon
