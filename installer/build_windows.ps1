<#
.SYNOPSIS
  Build the Face Kiosk Windows installer from a clean environment, in one command.

.DESCRIPTION
  1. Creates a clean .venv with uv from uv.lock (--locked: a lock that no longer matches
     pyproject.toml stops the build) and checks it holds onnxruntime-directml as its only
     onnxruntime and opencv-python-headless as its only OpenCV (installer/check_env.py).
  2. Runs the test suite against the shared test data (-Shared), unless -SkipTests.
  3. Builds dist\kiosk\ with kiosk.spec (optionally bundling the model pack -Models) and
     smoke-runs the frozen kiosk.exe and kiosk-gui.exe.
  4. Builds dist\FaceKiosk-<version>-setup.exe with makensis (installer\kiosk.nsi),
     shipping vc_redist.x64.exe when one is given or found in the Visual Studio install.

  Needs: Windows x64, uv and NSIS 3 (makensis). No compiler: every locked package is a
  wheel on win_amd64 (tests/test_install.py).

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1 -Models C:\packs\buffalo_l
#>
[CmdletBinding()]
param(
  [string]$Models = "",          # model pack folder to bundle (its licence must allow it); none by default
  [string]$Shared = "",          # test data folder (default: ..\shared beside the repository)
  [string]$VcRedist = "",        # vc_redist.x64.exe to ship; default: the one in the Visual Studio install
  [string]$Python = "3.11",
  [switch]$SkipTests
)

$ErrorActionPreference = "Stop"
$Repo = Split-Path -Parent $PSScriptRoot
Set-Location $Repo
$Dist = Join-Path $Repo "dist"
$Venv = Join-Path $Repo ".venv"
$Py = Join-Path $Venv "Scripts\python.exe"
$timings = [ordered]@{}

function Step([string]$name, [scriptblock]$body) {
  Write-Host "==> $name" -ForegroundColor Cyan
  $watch = [Diagnostics.Stopwatch]::StartNew()
  & $body
  $timings[$name] = [math]::Round($watch.Elapsed.TotalSeconds)
}

function Invoke-Checked([string]$exe, [string[]]$arguments) {
  & $exe @arguments
  if ($LASTEXITCODE -ne 0) { throw "$exe $($arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Find-MakeNsis {
  $cmd = Get-Command makensis -ErrorAction SilentlyContinue
  if ($cmd) { return $cmd.Source }
  foreach ($dir in @(${env:ProgramFiles(x86)}, $env:ProgramFiles)) {
    $candidate = Join-Path $dir "NSIS\makensis.exe"
    if ($dir -and (Test-Path $candidate)) { return $candidate }
  }
  throw "makensis not found: install NSIS 3 (winget install NSIS.NSIS, or choco install nsis)"
}

function Find-VcRedist {
  $vswhere = Join-Path ${env:ProgramFiles(x86)} "Microsoft Visual Studio\Installer\vswhere.exe"
  if (-not (Test-Path $vswhere)) { return "" }
  $vs = & $vswhere -latest -products * -property installationPath
  if (-not $vs) { return "" }
  $found = Get-ChildItem -Path (Join-Path $vs "VC\Redist\MSVC\*\vc_redist.x64.exe") -ErrorAction SilentlyContinue |
    Sort-Object FullName | Select-Object -Last 1
  if ($found) { return $found.FullName } else { return "" }
}

if (-not [Environment]::Is64BitOperatingSystem) { throw "the kiosk is 64-bit only: build on 64-bit Windows" }
if (-not (Get-Command uv -ErrorAction SilentlyContinue)) { throw "uv not found: https://docs.astral.sh/uv/ (pip install uv)" }
$MakeNsis = Find-MakeNsis

Step "clean environment (uv sync)" {
  foreach ($path in @($Venv, $Dist, (Join-Path $Repo "build"))) {
    if (Test-Path $path) { Remove-Item -Recurse -Force $path }
  }
  Invoke-Checked uv @("sync", "--locked", "--extra", "dev", "--python", $Python)
  Invoke-Checked $Py @("installer\check_env.py")
}

if ($SkipTests) {
  Write-Warning "tests skipped (-SkipTests)"
} else {
  Step "tests" {
    if (-not $Shared) { $Shared = Join-Path (Split-Path -Parent $Repo) "shared" }
    if (-not (Test-Path (Join-Path $Shared "models"))) {
      throw "test data not found at $Shared (models, faces, video): pass -Shared PATH, or -SkipTests"
    }
    $env:KIOSK_SHARED = (Resolve-Path $Shared).Path
    Invoke-Checked $Py @("-m", "pytest", "-q", "-p", "no:cacheprovider")
  }
}

Step "bundle (PyInstaller, kiosk.spec)" {
  if ($Models) { $env:KIOSK_BUNDLE_MODELS = (Resolve-Path $Models).Path } else { Remove-Item Env:KIOSK_BUNDLE_MODELS -ErrorAction SilentlyContinue }
  Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--distpath", $Dist, "--workpath", (Join-Path $Repo "build"), "kiosk.spec")
}

$Bundle = Join-Path $Dist "kiosk"
$Version = (& $Py -c "import kiosk; print(kiosk.__version__)").Trim()

Step "smoke run of the frozen kiosk" {
  $saved = $env:KIOSK_MODELS
  Remove-Item Env:KIOSK_MODELS -ErrorAction SilentlyContinue
  $env:KIOSK_DATA_DIR = Join-Path $env:TEMP "kiosk-smoke-$PID"
  try {
    $printed = (& (Join-Path $Bundle "kiosk.exe") --version | Out-String).Trim()
    if ($printed -ne "kiosk $Version") { throw "kiosk.exe --version printed '$printed'" }
    $json = & (Join-Path $Bundle "kiosk.exe") doctor --cameras 0 --json | Out-String
    $report = $json | ConvertFrom-Json
    $report.checks | ForEach-Object { Write-Host ("{0,-5} {1,-12} {2}" -f $_.status, $_.name, $_.detail) }
    $runtime = $report.checks | Where-Object { $_.name -eq "onnxruntime" }
    if ($runtime.detail -notmatch "DmlExecutionProvider") { throw "the frozen kiosk has no DirectML provider: $($runtime.detail)" }
    if ($Models -and -not $report.ok) { throw "kiosk.exe doctor failed with the bundled pack" }
    # The windowed executable has no console: its exit code says whether Qt came up.
    $env:QT_QPA_PLATFORM = "offscreen"
    $gui = Start-Process -FilePath (Join-Path $Bundle "kiosk-gui.exe") -ArgumentList @("--windowed", "--quit-after", "5") -Wait -PassThru
    if ($gui.ExitCode -ne 0) { throw "kiosk-gui.exe exited with $($gui.ExitCode); see $env:KIOSK_DATA_DIR\logs\kiosk-gui.log" }
  } finally {
    Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $env:KIOSK_DATA_DIR -ErrorAction SilentlyContinue
    Remove-Item Env:KIOSK_DATA_DIR -ErrorAction SilentlyContinue
    if ($saved) { $env:KIOSK_MODELS = $saved }
  }
}

$Setup = Join-Path $Dist "FaceKiosk-$Version-setup.exe"
Step "installer (makensis)" {
  if (-not $VcRedist) { $VcRedist = Find-VcRedist }
  $defines = @("-V2", "-DVERSION=$Version", "-DBUNDLE_DIR=$Bundle", "-DOUTFILE=$Setup")
  if ($VcRedist) { $defines += "-DVCREDIST=$((Resolve-Path $VcRedist).Path)" } else { Write-Warning "no vc_redist.x64.exe: the installer will only check for the runtime" }
  Invoke-Checked $MakeNsis ($defines + @((Join-Path $Repo "installer\kiosk.nsi")))
}

$bundleMB = [math]::Round(((Get-ChildItem -Recurse -File $Bundle | Measure-Object -Sum Length).Sum) / 1MB)
$setupMB = [math]::Round((Get-Item $Setup).Length / 1MB)
Write-Host ""
Write-Host "bundle    $Bundle  ($bundleMB MB)"
Write-Host "installer $Setup  ($setupMB MB)"
$timings.GetEnumerator() | ForEach-Object { Write-Host ("{0,-40} {1,5} s" -f $_.Key, $_.Value) }
