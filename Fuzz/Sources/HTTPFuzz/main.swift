import HTTPFuzzSupport

// The libFuzzer entry shim. SwiftPM links every executable with `--defsym main=HTTPFuzz_main`, so this
// function is the process's `main`; it hands the arguments to libFuzzer's driver with the target's
// callback. Build with `-parse-as-library` (see `Fuzz/run.sh`): this file has no top-level code.

/// libFuzzer's driver, from `libclang_rt.fuzzer` (linked by `-sanitize=fuzzer`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The process's entry point: runs libFuzzer on `HTTPFuzzTargets.http`.
@_cdecl("HTTPFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    HTTPFuzzTargets.prepare(.http)
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        HTTPFuzzTargets.run(.http, UnsafeBufferPointer(start: data, count: size))
        return 0
    }
}
