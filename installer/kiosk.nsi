; Face Kiosk installer (NSIS 3, Unicode, English and Korean).
;
;   makensis -DVERSION=0.1.0 -DBUNDLE_DIR=C:/src/kiosk/dist/kiosk -DOUTFILE=C:/src/kiosk/dist/FaceKiosk-0.1.0-setup.exe
;            [-DVCREDIST=path/to/vc_redist.x64.exe] installer/kiosk.nsi
;
; BUNDLE_DIR is the PyInstaller folder built by kiosk.spec (kiosk.exe + kiosk-gui.exe).
; VCREDIST, when given, is shipped and installed only where the runtime is missing.
; NOCOMPRESS (-DNOCOMPRESS) skips compression: a fast check of the script, not a release.
; Relative paths are relative to this folder (makensis changes into it): pass absolute ones.
;
; Command line (also for silent installs with /S):
;   /KIOSKUSER=NAME  Windows account that runs the kiosk: gets Modify on the data folder
;                    (a silent install with an unknown account stops with exit code 4)
;   /AUTOSTART       start the kiosk at logon (in kiosk mode: full screen), under `kiosk supervise`
;                    (restarted after a crash or a hang; docs/packaging.md, Supervisor)
;   /LOCKDOWN        with /KIOSKUSER=NAME: that account gets the supervised kiosk as its shell instead
;                    of Explorer (Shell Launcher where Windows offers it, else its Winlogon Shell value;
;                    kiosk_lockdown.ps1, docs/packaging.md, Lockdown); refused for the installing account
; Uninstaller: /PURGE deletes the enrollment database in a silent uninstall (default: keep).

Unicode true
ManifestDPIAware true
!ifdef NOCOMPRESS
  SetCompress off  ; for a quick syntax and payload check only (tests on Linux)
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !error "pass -DVERSION=x.y.z (kiosk.__version__)"
!endif
!ifndef BUNDLE_DIR
  !error "pass -DBUNDLE_DIR=path to the PyInstaller folder dist/kiosk"
!endif
!ifndef OUTFILE
  !define OUTFILE "FaceKiosk-${VERSION}-setup.exe"
!endif

!define PRODUCT "Face Kiosk"
!define PUBLISHER "Face Kiosk"
; Must equal kiosk.paths.APP_DIR_NAME: the kiosk looks for its data in %PROGRAMDATA%\FaceKiosk.
!define APP_DIR_NAME "FaceKiosk"
!define GUI_EXE "kiosk-gui.exe"
!define CLI_EXE "kiosk.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_DIR_NAME}"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
; What the autostart and the lockdown shell run: the supervisor, which runs and restarts `kiosk run`.
!define SUPERVISED_ARGS "supervise --"
!define VCRT_KEY "SOFTWARE\Microsoft\VisualStudio\14.0\VC\Runtimes\x64"
!define VCRT_URL "https://aka.ms/vs/17/release/vc_redist.x64.exe"
; Well-known SIDs, so the ACL is right on every Windows display language.
!define SID_SYSTEM "*S-1-5-18"
!define SID_ADMINS "*S-1-5-32-544"

!searchparse /noerrors "${VERSION}" "" VER_MAJOR "." VER_MINOR "." VER_PATCH
!ifndef VER_PATCH
  !error "VERSION must look like x.y.z, got ${VERSION}"
!endif

!include MUI2.nsh
!include LogicLib.nsh
!include x64.nsh
!include FileFunc.nsh
!include nsDialogs.nsh
!include Sections.nsh

Name "${PRODUCT}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
RequestExecutionLevel admin
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VER_MAJOR}.${VER_MINOR}.${VER_PATCH}.0"
VIFileVersion "${VER_MAJOR}.${VER_MINOR}.${VER_PATCH}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} setup"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "(c) ${PUBLISHER}"

Var DataDir
Var KioskUser
Var AccountField
Var Purge

!define MUI_ICON "../resources/icons/kiosk.ico"
!define MUI_UNICON "../resources/icons/kiosk.ico"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_SMALLDESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
Page custom AccountPageShow AccountPageLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Korean"

LangString SecCoreName ${LANG_ENGLISH} "${PRODUCT} (required)"
LangString SecCoreName ${LANG_KOREAN} "${PRODUCT} (필수)"
LangString SecCoreDesc ${LANG_ENGLISH} "The kiosk application, the machine data folder and its access rights."
LangString SecCoreDesc ${LANG_KOREAN} "키오스크 프로그램, 컴퓨터 데이터 폴더와 접근 권한."
LangString SecMenuName ${LANG_ENGLISH} "Start menu shortcuts"
LangString SecMenuName ${LANG_KOREAN} "시작 메뉴 바로 가기"
LangString SecMenuDesc ${LANG_ENGLISH} "Shortcuts to start the kiosk and to check the installation (kiosk doctor)."
LangString SecMenuDesc ${LANG_KOREAN} "키오스크 실행과 설치 점검(kiosk doctor) 바로 가기."
LangString SecLogonName ${LANG_ENGLISH} "Start at logon in kiosk mode"
LangString SecLogonName ${LANG_KOREAN} "로그온 시 키오스크 모드로 시작"
LangString SecLogonDesc ${LANG_ENGLISH} "Starts the kiosk full screen whenever someone logs on to this PC. Use it on a PC whose only everyday account is the kiosk account."
LangString SecLogonDesc ${LANG_KOREAN} "누군가 이 PC에 로그온할 때마다 키오스크를 전체 화면으로 시작합니다. 평소에 키오스크 계정만 쓰는 PC에서 사용하십시오."
LangString SecLockName ${LANG_ENGLISH} "Lock the kiosk account to the kiosk"
LangString SecLockName ${LANG_KOREAN} "키오스크 계정을 키오스크 전용으로 잠금"
LangString SecLockDesc ${LANG_ENGLISH} "The kiosk account (/KIOSKUSER) signs in to the kiosk instead of the Windows desktop; other accounts are unchanged."
LangString SecLockDesc ${LANG_KOREAN} "키오스크 계정(/KIOSKUSER)은 Windows 바탕 화면 대신 키오스크로 로그인합니다. 다른 계정은 그대로입니다."
LangString LockNeedsUser ${LANG_ENGLISH} "The lockdown needs a separate kiosk account (/KIOSKUSER=NAME), not the account you install from: nothing was locked."
LangString LockNeedsUser ${LANG_KOREAN} "잠금에는 설치하는 계정이 아닌 별도의 키오스크 계정(/KIOSKUSER=이름)이 필요합니다. 아무것도 잠그지 않았습니다."
LangString LockFailed ${LANG_ENGLISH} "The kiosk account could not be locked to the kiosk (exit code $0): see docs/packaging.md, Lockdown. The kiosk is installed."
LangString LockFailed ${LANG_KOREAN} "키오스크 계정을 키오스크 전용으로 잠그지 못했습니다(종료 코드 $0). docs/packaging.md 의 Lockdown 을 보십시오. 키오스크는 설치되었습니다."
LangString SecVcrtName ${LANG_ENGLISH} "Microsoft Visual C++ runtime"
LangString SecVcrtName ${LANG_KOREAN} "Microsoft Visual C++ 런타임"
LangString SecVcrtDesc ${LANG_ENGLISH} "Installs the Visual C++ 2015-2022 x64 runtime that ONNX Runtime needs (missing on this PC)."
LangString SecVcrtDesc ${LANG_KOREAN} "ONNX Runtime에 필요한 Visual C++ 2015-2022 x64 런타임을 설치합니다(이 PC에 없음)."
LangString Need64 ${LANG_ENGLISH} "${PRODUCT} needs 64-bit Windows."
LangString Need64 ${LANG_KOREAN} "${PRODUCT}에는 64비트 Windows가 필요합니다."
LangString VcrtMissing ${LANG_ENGLISH} "The Microsoft Visual C++ 2015-2022 x64 runtime is not installed, and ONNX Runtime (face recognition) cannot start without it.$\r$\n$\r$\nInstall it from ${VCRT_URL} and run this setup again.$\r$\n$\r$\nContinue anyway?"
LangString VcrtMissing ${LANG_KOREAN} "Microsoft Visual C++ 2015-2022 x64 런타임이 설치되어 있지 않습니다. 이 런타임이 없으면 ONNX Runtime(얼굴 인식)을 시작할 수 없습니다.$\r$\n$\r$\n${VCRT_URL} 에서 설치한 뒤 이 설치 프로그램을 다시 실행하십시오.$\r$\n$\r$\n그래도 계속하시겠습니까?"
LangString VcrtFailed ${LANG_ENGLISH} "The Visual C++ runtime installer failed (code $0). Install it from ${VCRT_URL}."
LangString VcrtFailed ${LANG_KOREAN} "Visual C++ 런타임 설치에 실패했습니다(코드 $0). ${VCRT_URL} 에서 설치하십시오."
LangString AccountTitle ${LANG_ENGLISH} "Kiosk account"
LangString AccountTitle ${LANG_KOREAN} "키오스크 계정"
LangString AccountSubtitle ${LANG_ENGLISH} "The Windows account that runs the kiosk"
LangString AccountSubtitle ${LANG_KOREAN} "키오스크를 실행할 Windows 계정"
LangString AccountText ${LANG_ENGLISH} "Only this account, Administrators and SYSTEM may open the data folder $DataDir, which holds the enrollment database and its key. Other users get no access.$\r$\n$\r$\nLeave it empty to allow administrators only (the kiosk must then run as an administrator)."
LangString AccountText ${LANG_KOREAN} "이 계정과 Administrators, SYSTEM만 등록 데이터베이스와 키가 있는 데이터 폴더 $DataDir 에 접근할 수 있습니다. 다른 사용자는 접근할 수 없습니다.$\r$\n$\r$\n비워 두면 관리자만 허용됩니다(이 경우 키오스크를 관리자로 실행해야 합니다)."
LangString AccountUnknown ${LANG_ENGLISH} "There is no Windows account named $\"$KioskUser$\" on this PC."
LangString AccountUnknown ${LANG_KOREAN} "이 PC에 $\"$KioskUser$\" 이름의 Windows 계정이 없습니다."
LangString AclFailed ${LANG_ENGLISH} "Could not restrict access to $DataDir (icacls exit code $0). Other users of this PC may be able to read it: fix its permissions before enrolling anyone."
LangString AclFailed ${LANG_KOREAN} "$DataDir 의 접근 권한을 제한하지 못했습니다(icacls 종료 코드 $0). 다른 사용자가 읽을 수 있으니 등록 전에 권한을 고치십시오."
LangString KeepData ${LANG_ENGLISH} "Keep the enrollment database (enrolled people, settings and the database key) in $DataDir?$\r$\n$\r$\nYes: keep it for a later reinstall.  No: delete it permanently."
LangString KeepData ${LANG_KOREAN} "등록 데이터베이스(등록된 사람, 설정, 데이터베이스 키)를 $DataDir 에 보관하시겠습니까?$\r$\n$\r$\n예: 다시 설치할 때를 위해 보관합니다.  아니요: 영구적으로 삭제합니다."
LangString ShortcutDoctor ${LANG_ENGLISH} "${PRODUCT} - check installation"
LangString SetupCode ${LANG_ENGLISH} "Write this code down: the kiosk screen asks for it once, before the first admin PIN is chosen there. Nobody can choose the PIN without it.$\r$\n$\r$\n$1$\r$\nA new code: kiosk admin set-pin --setup-code (or set the PIN directly: kiosk admin set-pin)."
LangString SetupCode ${LANG_KOREAN} "이 코드를 적어 두십시오: 키오스크 화면에서 첫 관리자 PIN을 정하기 전에 한 번 묻습니다. 이 코드 없이는 아무도 PIN을 정할 수 없습니다.$\r$\n$\r$\n$1$\r$\n새 코드: kiosk admin set-pin --setup-code (또는 PIN 직접 설정: kiosk admin set-pin)."
LangString ShortcutDoctor ${LANG_KOREAN} "${PRODUCT} - 설치 점검"

Section "!$(SecCoreName)" SecCore
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; Remove files of an older version first: a stale DLL beside new ones is a frozen-only crash.
  RMDir /r "$INSTDIR\_internal"
  File /r "${BUNDLE_DIR}/*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  Call CreateDataDir
  Call ArmFirstStart

  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${GUI_EXE}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
  WriteRegStr HKLM "${UNINST_KEY}" "KioskUser" "$KioskUser"
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecMenuName)" SecMenu
  SetShellVarContext all
  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\${PRODUCT}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\$(ShortcutDoctor).lnk" "$SYSDIR\cmd.exe" "/k $\"$\"$INSTDIR\${CLI_EXE}$\" doctor$\"" "$INSTDIR\${CLI_EXE}" 0
SectionEnd

Section /o "$(SecLogonName)" SecLogon
  ; HKLM Run starts the supervised kiosk for every interactive logon; kiosk mode (full screen) is its default.
  WriteRegStr HKLM "${RUN_KEY}" "${APP_DIR_NAME}" "$\"$INSTDIR\${GUI_EXE}$\" ${SUPERVISED_ARGS}"
SectionEnd

Section /o "$(SecLockName)" SecLock
  ReadEnvStr $R1 "USERNAME"
  ${If} $KioskUser == ""
  ${OrIf} $KioskUser == $R1
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(LockNeedsUser)" /SD IDOK
    Return
  ${EndIf}
  SetOutPath "$INSTDIR"
  File "kiosk_lockdown.ps1"
  ${DisableX64FSRedirection}  ; the 64-bit PowerShell: Shell Launcher's WMI classes and the user hive
  nsExec::ExecToLog '"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\kiosk_lockdown.ps1" -User "$KioskUser" -Shell "\"$INSTDIR\${GUI_EXE}\" ${SUPERVISED_ARGS}"'
  Pop $0
  ${EnableX64FSRedirection}
  ${If} $0 == 0
    WriteRegStr HKLM "${UNINST_KEY}" "LockedDownUser" "$KioskUser"
  ${Else}
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(LockFailed)" /SD IDOK
  ${EndIf}
SectionEnd

!ifdef VCREDIST
Section "$(SecVcrtName)" SecVcrt
  SetOutPath "$PLUGINSDIR"
  File "/oname=vc_redist.x64.exe" "${VCREDIST}"
  ExecWait '"$PLUGINSDIR\vc_redist.x64.exe" /install /quiet /norestart' $0
  ; 3010: installed, reboot pending; 1638: a newer version is already there.
  ${IfNot} $0 = 0
  ${AndIfNot} $0 = 3010
  ${AndIfNot} $0 = 1638
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(VcrtFailed)" /SD IDOK
  ${EndIf}
SectionEnd
!endif

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecCore} "$(SecCoreDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecMenu} "$(SecMenuDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecLogon} "$(SecLogonDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecLock} "$(SecLockDesc)"
  !ifdef VCREDIST
    !insertmacro MUI_DESCRIPTION_TEXT ${SecVcrt} "$(SecVcrtDesc)"
  !endif
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(Need64)" /SD IDOK
    SetErrorLevel 2
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  StrCpy $DataDir "$APPDATA\${APP_DIR_NAME}"

  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/KIOSKUSER=" $KioskUser
  ${If} ${Errors}
    ReadRegStr $KioskUser HKLM "${UNINST_KEY}" "KioskUser"  ; a reinstall keeps the account
    ${If} $KioskUser == ""
      ReadEnvStr $KioskUser "USERNAME"
    ${EndIf}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecLogon}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/LOCKDOWN" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecLock}
  ${EndIf}

  ${If} ${Silent}  ; no account page: check /KIOSKUSER now
    Call CheckAccount
    ${If} $R9 = 1
      SetErrorLevel 4
      Abort
    ${EndIf}
  ${EndIf}

  Call CheckVcRuntime
FunctionEnd

Function CheckVcRuntime
  ReadRegDWORD $0 HKLM "${VCRT_KEY}" "Installed"
  ${If} $0 = 1
    !ifdef VCREDIST
      !insertmacro UnselectSection ${SecVcrt}
      SectionSetText ${SecVcrt} ""  ; hidden: nothing to install
    !endif
    Return
  ${EndIf}
  !ifdef VCREDIST
    !insertmacro SetSectionFlag ${SecVcrt} ${SF_RO}
    !insertmacro SelectSection ${SecVcrt}
  !else
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(VcrtMissing)" /SD IDNO IDYES vcrt_continue
    SetErrorLevel 3
    Abort
    vcrt_continue:
  !endif
FunctionEnd

Function AccountPageShow
  !insertmacro MUI_HEADER_TEXT "$(AccountTitle)" "$(AccountSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 60% "$(AccountText)"
  Pop $0
  ${NSD_CreateText} 0 65% 100% 12u "$KioskUser"
  Pop $AccountField
  nsDialogs::Show
FunctionEnd

Function AccountPageLeave
  ${NSD_GetText} $AccountField $KioskUser
  Call CheckAccount
  ${If} $R9 = 1
    Abort  ; stay on the page
  ${EndIf}
FunctionEnd

; $R9 = 1 (after a message) when $KioskUser names no account, so icacls cannot fail later.
Function CheckAccount
  StrCpy $R9 0
  ${If} $KioskUser == ""
    Return
  ${EndIf}
  ; Asking for the SID size first: an existing account answers ERROR_INSUFFICIENT_BUFFER (122),
  ; an unknown one ERROR_NONE_MAPPED (1332).
  System::Call 'advapi32::LookupAccountNameW(p 0, w "$KioskUser", p 0, *i 0 r1, p 0, *i 0 r2, *i 0 r3) i .r0 ?e'
  Pop $4
  ${If} $4 = 1332
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(AccountUnknown)" /SD IDOK
    StrCpy $R9 1
  ${EndIf}
FunctionEnd

; %PROGRAMDATA%\FaceKiosk: inheritance from ProgramData (where Users may read) is cut, and
; only SYSTEM, Administrators and the kiosk account keep access, for every file created in it.
Function CreateDataDir
  CreateDirectory "$DataDir"
  nsExec::ExecToLog 'icacls "$DataDir" /inheritance:r /grant:r ${SID_SYSTEM}:(OI)(CI)F ${SID_ADMINS}:(OI)(CI)F'
  Pop $0
  ${If} $0 != 0
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(AclFailed)" /SD IDOK
    Return
  ${EndIf}
  ${If} $KioskUser != ""
    nsExec::ExecToLog 'icacls "$DataDir" /grant:r "$KioskUser:(OI)(CI)M"'
    Pop $0
    ${If} $0 != 0
      MessageBox MB_OK|MB_ICONEXCLAMATION "$(AclFailed)" /SD IDOK
    ${EndIf}
  ${EndIf}
FunctionEnd

; A fresh kiosk takes its first admin PIN from the screen only with a one-time setup code
; (issue 21): printed here by the CLI and shown once. A kiosk that already has an admin (a
; reinstall) refuses a code, and the setup says so in its details only.
Function ArmFirstStart
  nsExec::ExecToStack '"$INSTDIR\${CLI_EXE}" --data-dir "$DataDir" admin set-pin --setup-code'
  Pop $0
  Pop $1
  ${If} $0 == 0
    MessageBox MB_OK|MB_ICONINFORMATION "$(SetupCode)" /SD IDOK
  ${Else}
    DetailPrint "kiosk admin set-pin --setup-code: $1"
  ${EndIf}
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
  StrCpy $DataDir "$APPDATA\${APP_DIR_NAME}"
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PURGE" $R1
  ${If} ${Errors}
    StrCpy $Purge 0
  ${Else}
    StrCpy $Purge 1
  ${EndIf}
FunctionEnd

Section "Uninstall"
  DeleteRegValue HKLM "${RUN_KEY}" "${APP_DIR_NAME}"
  ReadRegStr $R1 HKLM "${UNINST_KEY}" "LockedDownUser"
  ${If} $R1 != ""
  ${AndIf} ${FileExists} "$INSTDIR\kiosk_lockdown.ps1"
    ${DisableX64FSRedirection}
    nsExec::ExecToLog '"$SYSDIR\WindowsPowerShell\v1.0\powershell.exe" -NoProfile -ExecutionPolicy Bypass -File "$INSTDIR\kiosk_lockdown.ps1" -User "$R1" -Remove'
    Pop $0
    ${EnableX64FSRedirection}
  ${EndIf}
  Delete "$INSTDIR\kiosk_lockdown.ps1"
  Delete "$SMPROGRAMS\${PRODUCT}\*.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${CLI_EXE}"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"

  ${If} $Purge = 0
    ; Silent uninstalls keep the data unless /PURGE was given: losing enrollments is not undoable.
    MessageBox MB_YESNO|MB_ICONQUESTION "$(KeepData)" /SD IDYES IDYES keep_data
  ${EndIf}
  RMDir /r "$DataDir"
  keep_data:
SectionEnd
