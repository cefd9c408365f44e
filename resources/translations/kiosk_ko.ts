<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name></name>
    <message>
        <source>Administration</source>
        <translation>관리</translation>
    </message>
    <message>
        <source>People</source>
        <translation>등록된 사람</translation>
    </message>
    <message>
        <source>Enroll a person</source>
        <translation>사람 등록</translation>
    </message>
    <message>
        <source>Actor look-alike</source>
        <translation>닮은 배우 찾기</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>감사 기록</translation>
    </message>
    <message>
        <source>Back to the kiosk</source>
        <translation>키오스크로 돌아가기</translation>
    </message>
    <message>
        <source>Exit kiosk mode</source>
        <translation>키오스크 모드 종료</translation>
    </message>
    <message>
        <source>Face models run slower than they should: {why}</source>
        <translation>얼굴 모델이 평소보다 느리게 실행되고 있습니다: {why}</translation>
    </message>
    <message>
        <source>Fleet: {kiosk}, last sync {when}, {n} change(s) waiting</source>
        <translation>키오스크 그룹: {kiosk}, 마지막 동기화 {when}, 대기 중인 변경 {n}건</translation>
    </message>
    <message>
        <source>never</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Last sync error: {error}</source>
        <translation>마지막 동기화 오류: {error}</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>환영합니다</translation>
    </message>
    <message>
        <source>Look at the camera to sign in</source>
        <translation>로그인하려면 카메라를 바라보세요</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>Getting ready…</source>
        <translation>준비하는 중…</translation>
    </message>
    <message>
        <source>Which actor do you look like?</source>
        <translation>나와 닮은 배우는?</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>관리자</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>시각</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>이벤트</translation>
    </message>
    <message>
        <source>Person</source>
        <translation>사람</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>점수</translation>
    </message>
    <message>
        <source>Decision</source>
        <translation>판정</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>세부 정보</translation>
    </message>
    <message>
        <source>Export to CSV</source>
        <translation>CSV로 내보내기</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>뒤로</translation>
    </message>
    <message>
        <source>Saved to {path}</source>
        <translation>{path}에 저장했습니다</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>모든 이벤트</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>최근 24시간</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>최근 7일</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>최근 30일</translation>
    </message>
    <message>
        <source>Everything</source>
        <translation>전체</translation>
    </message>
    <message>
        <source>Re-enroll {name}</source>
        <translation>{name} 재등록</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>성명</translation>
    </message>
    <message>
        <source>Employee or member number</source>
        <translation>사번 또는 회원 번호</translation>
    </message>
    <message>
        <source>Capture with the camera</source>
        <translation>카메라로 촬영</translation>
    </message>
    <message>
        <source>From photo files…</source>
        <translation>사진 파일에서…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>그래도 저장</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>저장</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Enroll another person</source>
        <translation>다른 사람 등록</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Please type a name and an ID.</source>
        <translation>이름과 ID를 입력하세요.</translation>
    </message>
    <message>
        <source>Reading photo {n}…</source>
        <translation>사진 읽는 중 {n}…</translation>
    </message>
    <message>
        <source>Capture failed: {why}</source>
        <translation>촬영 실패: {why}</translation>
    </message>
    <message>
        <source>No usable face in the photos: {why}</source>
        <translation>사진에서 쓸 수 있는 얼굴이 없습니다: {why}</translation>
    </message>
    <message>
        <source>{name} is enrolled.</source>
        <translation>{name} 님이 등록되었습니다.</translation>
    </message>
    <message>
        <source>Not saved: {why}</source>
        <translation>저장하지 못했습니다: {why}</translation>
    </message>
    <message>
        <source>Pictures not used</source>
        <translation>사용하지 않은 사진</translation>
    </message>
    <message>
        <source>Choose photos of the person</source>
        <translation>등록할 사람의 사진 선택</translation>
    </message>
    <message>
        <source>Photos not used: {files}</source>
        <translation>사용하지 않은 사진: {files}</translation>
    </message>
    <message>
        <source>Your closest look-alikes</source>
        <translation>가장 닮은 배우</translation>
    </message>
    <message>
        <source>Just for fun. Your picture is not stored.</source>
        <translation>재미로 보는 결과입니다. 사진은 저장되지 않습니다.</translation>
    </message>
    <message>
        <source>Temporarily out of order</source>
        <translation>일시적으로 사용할 수 없습니다</translation>
    </message>
    <message>
        <source>The camera is not available. We are trying again; please use another kiosk meanwhile.</source>
        <translation>카메라를 사용할 수 없습니다. 다시 연결하는 중이니 잠시 다른 키오스크를 이용해 주세요.</translation>
    </message>
    <message>
        <source>Operator attention needed</source>
        <translation>관리자 확인이 필요합니다</translation>
    </message>
    <message>
        <source>The kiosk cannot open its database: the key is missing or wrong. Nobody can sign in until an operator fixes it.</source>
        <translation>데이터베이스를 열 수 없습니다. 키가 없거나 올바르지 않습니다. 관리자가 해결할 때까지 로그인할 수 없습니다.</translation>
    </message>
    <message>
        <source>The kiosk cannot load its face models. An operator must install a model pack.</source>
        <translation>얼굴 인식 모델을 불러올 수 없습니다. 관리자가 모델 팩을 설치해야 합니다.</translation>
    </message>
    <message>
        <source>The kiosk cannot start. An operator must look at it.</source>
        <translation>키오스크를 시작할 수 없습니다. 관리자 확인이 필요합니다.</translation>
    </message>
    <message>
        <source>Close the kiosk</source>
        <translation>키오스크 닫기</translation>
    </message>
    <message>
        <source>Find by name or ID</source>
        <translation>이름 또는 ID로 검색</translation>
    </message>
    <message>
        <source>Keyboard</source>
        <translation>키보드</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>수정 시각</translation>
    </message>
    <message>
        <source>Re-enroll</source>
        <translation>재등록</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Delete for good</source>
        <translation>영구 삭제</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>유지</translation>
    </message>
    <message>
        <source>Delete {name} and their face data? This cannot be undone.</source>
        <translation>{name} 님과 얼굴 데이터를 삭제할까요? 되돌릴 수 없습니다.</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>사용함</translation>
    </message>
    <message>
        <source>The file cannot be read</source>
        <translation>파일을 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>Not used: {why}</source>
        <translation>사용 안 함: {why}</translation>
    </message>
    <message>
        <source>New person</source>
        <translation>새 사람</translation>
    </message>
    <message>
        <source>New: {name}</source>
        <translation>새로 등록: {name}</translation>
    </message>
    <message>
        <source>Enrolled: {name}</source>
        <translation>이미 등록됨: {name}</translation>
    </message>
    <message>
        <source>ID {id}</source>
        <translation>ID {id}</translation>
    </message>
    <message>
        <source>Updated {time}</source>
        <translation>수정: {time}</translation>
    </message>
    <message>
        <source>No face picture stored</source>
        <translation>저장된 얼굴 사진 없음</translation>
    </message>
    <message>
        <source>Face pictures deleted</source>
        <translation>얼굴 사진 삭제됨</translation>
    </message>
    <message>
        <source>Kiosk restarted</source>
        <translation>키오스크 다시 시작됨</translation>
    </message>
    <message>
        <source>Crashed</source>
        <translation>비정상 종료</translation>
    </message>
    <message>
        <source>Not responding</source>
        <translation>응답 없음</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) not used.</source>
        <translation>
            <numerusform>사용하지 않은 사진 %n장.</numerusform>
        </translation>
    </message>
    <message>
        <source>Needs re-enrollment</source>
        <translation>재등록 필요</translation>
    </message>
    <message>
        <source>Enrolled</source>
        <translation>등록됨</translation>
    </message>
    <message>
        <source>{n} people</source>
        <translation>{n}명</translation>
    </message>
    <message>
        <source>Choose the admin PIN</source>
        <translation>관리자 PIN 설정</translation>
    </message>
    <message>
        <source>Type the same PIN again</source>
        <translation>같은 PIN을 한 번 더 입력하세요</translation>
    </message>
    <message>
        <source>Admin PIN</source>
        <translation>관리자 PIN</translation>
    </message>
    <message>
        <source>At least {n} digits. There is no default PIN.</source>
        <translation>{n}자리 이상 숫자. 기본 PIN은 없습니다.</translation>
    </message>
    <message>
        <source>Type the PIN and press OK</source>
        <translation>PIN을 입력하고 확인을 누르세요</translation>
    </message>
    <message>
        <source>The PIN needs at least {n} digits.</source>
        <translation>PIN은 {n}자리 이상이어야 합니다.</translation>
    </message>
    <message>
        <source>The two PINs were different. Start again.</source>
        <translation>두 PIN이 다릅니다. 처음부터 다시 입력하세요.</translation>
    </message>
    <message>
        <source>Wrong PIN. Try again.</source>
        <translation>PIN이 틀렸습니다. 다시 입력하세요.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Locked for {s} more seconds.</source>
        <translation>PIN을 여러 번 틀렸습니다. {s}초 동안 잠깁니다.</translation>
    </message>
    <message>
        <source>The PIN could not be checked.</source>
        <translation>PIN을 확인할 수 없습니다.</translation>
    </message>
    <message>
        <source>Please try again</source>
        <translation>다시 시도해 주세요</translation>
    </message>
    <message>
        <source>Not recognised</source>
        <translation>확인되지 않았습니다</translation>
    </message>
    <message>
        <source>Sign-in refused</source>
        <translation>로그인이 거부되었습니다</translation>
    </message>
    <message>
        <source>You are signed in.</source>
        <translation>로그인되었습니다.</translation>
    </message>
    <message>
        <source>You are not enrolled at this kiosk. Please ask a member of staff.</source>
        <translation>이 키오스크에 등록되어 있지 않습니다. 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>Please ask a member of staff for help.</source>
        <translation>직원에게 도움을 요청하세요.</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <source>Use this camera</source>
        <translation>이 카메라 사용</translation>
    </message>
    <message>
        <source>Recognition thresholds</source>
        <translation>인식 기준값</translation>
    </message>
    <message>
        <source>Accept at or above</source>
        <translation>이 값 이상이면 승인</translation>
    </message>
    <message>
        <source>Reject below</source>
        <translation>이 값 미만이면 거부</translation>
    </message>
    <message>
        <source>Sign-in capture</source>
        <translation>로그인 촬영</translation>
    </message>
    <message>
        <source>Enrollment capture</source>
        <translation>등록 촬영</translation>
    </message>
    <message>
        <source>Good pictures needed</source>
        <translation>필요한 좋은 사진 수</translation>
    </message>
    <message>
        <source>Give up after (seconds)</source>
        <translation>제한 시간(초)</translation>
    </message>
    <message>
        <source>Smallest face (pixels)</source>
        <translation>최소 얼굴 크기(픽셀)</translation>
    </message>
    <message>
        <source>Largest head turn (degrees)</source>
        <translation>최대 고개 돌림(도)</translation>
    </message>
    <message>
        <source>Largest head tilt (degrees)</source>
        <translation>최대 고개 기울임(도)</translation>
    </message>
    <message>
        <source>Least sharpness</source>
        <translation>최소 선명도</translation>
    </message>
    <message>
        <source>Check for photos and screens</source>
        <translation>사진·화면 위조 검사</translation>
    </message>
    <message>
        <source>Security against photos and screens</source>
        <translation>사진·화면 위조 방지 수준</translation>
    </message>
    <message>
        <source>Standard: look at the camera</source>
        <translation>표준: 카메라를 바라보기</translation>
    </message>
    <message>
        <source>Strict: also turn the head left and right</source>
        <translation>엄격: 고개를 왼쪽과 오른쪽으로도 돌리기</translation>
    </message>
    <message>
        <source>Adaptive: turn the head only if unsure</source>
        <translation>적응형: 확실하지 않을 때만 고개 돌리기</translation>
    </message>
    <message>
        <source>Standard checks each picture for signs of a photo or a screen: sign-in takes about a second, but a good photo or phone screen held up to the camera can still get through (about 4 in 10 such attacks in tests with a model pack not trained for them). Strict also asks for a head turn to each side: a few seconds longer, and no print or phone picture passed it in tests, bent or not, while all 15 real head turns tried passed it; a video of the right person turning their head can still get through.</source>
        <translation>표준은 화면마다 사진이나 화면의 흔적을 검사합니다. 로그인은 약 1초 걸리지만, 카메라 앞에 잘 찍힌 사진이나 휴대폰 화면을 들이대면 통과될 수 있습니다(이를 위해 학습하지 않은 모델 팩으로 한 시험에서 이런 공격 10건 중 약 4건). 엄격은 고개를 양쪽으로 한 번씩 돌리도록 추가로 요청합니다. 몇 초 더 걸리고, 시험에서 인쇄물과 휴대폰 사진은 휘었든 아니든 하나도 통과하지 못했고, 시험한 실제 고개 돌리기 15건은 모두 통과했습니다. 본인이 고개를 돌리는 동영상은 여전히 통과할 수 있습니다.</translation>
    </message>
    <message>
        <source>Keep a face picture of each person</source>
        <translation>사람마다 얼굴 사진 보관</translation>
    </message>
    <message>
        <source>Shown on the people list and the enrollment review, sealed like the templates. Turning this off deletes the stored pictures.</source>
        <translation>사람 목록과 등록 확인 화면에 표시되며 템플릿처럼 암호화해 보관합니다. 끄면 보관된 사진이 삭제됩니다.</translation>
    </message>
    <message>
        <source>Kiosk</source>
        <translation>키오스크</translation>
    </message>
    <message>
        <source>Back to start after idle (seconds)</source>
        <translation>대기 후 처음 화면으로(초)</translation>
    </message>
    <message>
        <source>Show the result for (seconds)</source>
        <translation>결과 표시 시간(초)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>Hide the mouse pointer</source>
        <translation>마우스 포인터 숨기기</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>시스템 설정 따르기</translation>
    </message>
    <message>
        <source>No enrolled face in view</source>
        <translation>화면에 등록된 얼굴이 없습니다</translation>
    </message>
    <message>
        <source>Best match for the face in view: {score}</source>
        <translation>현재 얼굴의 최고 일치 점수: {score}</translation>
    </message>
    <message>
        <source>Face Kiosk</source>
        <translation>얼굴 인식 키오스크</translation>
    </message>
    <message>
        <source>Starting up: loading the face models…</source>
        <translation>시작하는 중: 얼굴 인식 모델을 불러오고 있습니다…</translation>
    </message>
    <message>
        <source>Please come a little closer</source>
        <translation>조금 더 가까이 와 주세요</translation>
    </message>
    <message>
        <source>Please look straight at the camera</source>
        <translation>카메라를 정면으로 바라봐 주세요</translation>
    </message>
    <message>
        <source>It is too dark here</source>
        <translation>너무 어둡습니다</translation>
    </message>
    <message>
        <source>There is too much light</source>
        <translation>빛이 너무 강합니다</translation>
    </message>
    <message>
        <source>One person at a time, please</source>
        <translation>한 번에 한 사람만 서 주세요</translation>
    </message>
    <message>
        <source>Hold still</source>
        <translation>움직이지 마세요</translation>
    </message>
    <message>
        <source>Look at the camera</source>
        <translation>카메라를 바라보세요</translation>
    </message>
    <message>
        <source>Slowly turn your head to the left</source>
        <translation>고개를 천천히 왼쪽으로 돌리세요</translation>
    </message>
    <message>
        <source>Slowly turn your head to the right</source>
        <translation>고개를 천천히 오른쪽으로 돌리세요</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>감사합니다</translation>
    </message>
    <message>
        <source>Face too far away</source>
        <translation>얼굴이 너무 멉니다</translation>
    </message>
    <message>
        <source>Picture blurred: hold still</source>
        <translation>사진이 흐립니다: 움직이지 마세요</translation>
    </message>
    <message>
        <source>Too dark</source>
        <translation>너무 어두움</translation>
    </message>
    <message>
        <source>Too bright</source>
        <translation>너무 밝음</translation>
    </message>
    <message>
        <source>Head turned: look straight ahead</source>
        <translation>고개가 돌아갔습니다: 정면을 보세요</translation>
    </message>
    <message>
        <source>Head tilted: look straight ahead</source>
        <translation>고개가 기울었습니다: 정면을 보세요</translation>
    </message>
    <message>
        <source>Face not clearly visible</source>
        <translation>얼굴이 잘 보이지 않습니다</translation>
    </message>
    <message>
        <source>No face seen</source>
        <translation>얼굴이 보이지 않습니다</translation>
    </message>
    <message>
        <source>More than one person</source>
        <translation>여러 사람이 보입니다</translation>
    </message>
    <message>
        <source>Inconsistent pictures</source>
        <translation>사진이 서로 일치하지 않습니다</translation>
    </message>
    <message>
        <source>We could not be sure it is you</source>
        <translation>본인인지 확실하지 않습니다</translation>
    </message>
    <message>
        <source>It took too long</source>
        <translation>시간이 초과되었습니다</translation>
    </message>
    <message>
        <source>Not enough clear pictures</source>
        <translation>선명한 사진이 부족합니다</translation>
    </message>
    <message>
        <source>The head turn was not completed</source>
        <translation>고개 돌리기가 완료되지 않았습니다</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>승인되지 않았습니다</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>띄어쓰기</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>확인</translation>
    </message>
    <message>
        <source>Events to other systems</source>
        <translation>다른 시스템으로 보내는 이벤트</translation>
    </message>
    <message>
        <source>Kiosk name (empty: the computer name)</source>
        <translation>키오스크 이름 (비우면 컴퓨터 이름)</translation>
    </message>
    <message>
        <source>Webhook address (https://...)</source>
        <translation>웹훅 주소 (https://...)</translation>
    </message>
    <message>
        <source>Webhook secret</source>
        <translation>웹훅 비밀 키</translation>
    </message>
    <message>
        <source>Certificate file (empty: the system's)</source>
        <translation>인증서 파일 (비우면 시스템 인증서)</translation>
    </message>
    <message>
        <source>Command to run for each event</source>
        <translation>이벤트마다 실행할 명령</translation>
    </message>
    <message>
        <source>File to append events to</source>
        <translation>이벤트를 덧붙일 파일</translation>
    </message>
    <message>
        <source>Events: no destination is set</source>
        <translation>이벤트: 보낼 곳이 설정되지 않았습니다</translation>
    </message>
    <message>
        <source>Events: {count} waiting to be sent</source>
        <translation>이벤트: {count}개 전송 대기 중</translation>
    </message>
    <message>
        <source>Events: all sent</source>
        <translation>이벤트: 모두 전송됨</translation>
    </message>
    <message>
        <source>Last delivery error: {error}</source>
        <translation>마지막 전송 오류: {error}</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n good picture(s) used.</source>
        <translation>
            <numerusform>좋은 사진 %n장을 사용했습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Ask for a head turn</source>
        <translation>고개 돌리기 요청</translation>
    </message>
    <message>
        <source>Admin sign-in</source>
        <translation>관리자 로그인</translation>
    </message>
    <message>
        <source>Admin PIN set</source>
        <translation>관리자 PIN 설정</translation>
    </message>
    <message>
        <source>Audit log exported</source>
        <translation>감사 기록 내보내기</translation>
    </message>
    <message>
        <source>Person deleted</source>
        <translation>사람 삭제</translation>
    </message>
    <message>
        <source>Person enrolled</source>
        <translation>사람 등록</translation>
    </message>
    <message>
        <source>Enrollment refused</source>
        <translation>등록 거부</translation>
    </message>
    <message>
        <source>Database exported</source>
        <translation>데이터베이스 내보내기</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>로그인 시도</translation>
    </message>
    <message>
        <source>Database imported</source>
        <translation>데이터베이스 가져오기</translation>
    </message>
    <message>
        <source>Kiosk closed</source>
        <translation>키오스크 종료</translation>
    </message>
    <message>
        <source>Person re-enrolled</source>
        <translation>사람 재등록</translation>
    </message>
    <message>
        <source>Database key changed</source>
        <translation>데이터베이스 키 변경</translation>
    </message>
    <message>
        <source>Settings saved</source>
        <translation>설정 저장</translation>
    </message>
    <message>
        <source>Identity check</source>
        <translation>본인 확인</translation>
    </message>
    <message>
        <source>Camera or model fault</source>
        <translation>카메라 또는 모델 오류</translation>
    </message>
    <message>
        <source>Camera lost</source>
        <translation>카메라 연결 끊김</translation>
    </message>
    <message>
        <source>Camera back</source>
        <translation>카메라 다시 연결됨</translation>
    </message>
    <message>
        <source>Face models moved to the CPU</source>
        <translation>얼굴 모델을 CPU로 전환함</translation>
    </message>
    <message>
        <source>Unsent events dropped</source>
        <translation>보내지 못한 이벤트 삭제됨</translation>
    </message>
    <message>
        <source>Fleet change conflict</source>
        <translation>키오스크 그룹 변경 충돌</translation>
    </message>
    <message>
        <source>Left the fleet</source>
        <translation>키오스크 그룹에서 나감</translation>
    </message>
    <message>
        <source>Fleet key rotated</source>
        <translation>키오스크 그룹 키 교체됨</translation>
    </message>
    <message>
        <source>Refused: photo or screen</source>
        <translation>거부: 사진 또는 화면</translation>
    </message>
    <message>
        <source>Settled</source>
        <translation>해결됨</translation>
    </message>
    <message>
        <source>This kiosk's change kept</source>
        <translation>이 키오스크의 변경 유지</translation>
    </message>
    <message>
        <source>The fleet's change kept</source>
        <translation>키오스크 그룹의 변경 유지</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>승인</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>거부</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>다시 시도</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>이용 현황</translation>
    </message>
    <message>
        <source>Speed and camera</source>
        <translation>속도와 카메라</translation>
    </message>
    <message>
        <source>Picture problems</source>
        <translation>촬영 문제</translation>
    </message>
    <message>
        <source>No sign-ins yet</source>
        <translation>아직 로그인 기록이 없습니다</translation>
    </message>
    <message>
        <source>The figures appear here after the first sign-in.</source>
        <translation>첫 로그인 후에 여기에 수치가 표시됩니다.</translation>
    </message>
    <message>
        <source>{share} accepted</source>
        <translation>{share} 승인</translation>
    </message>
    <message>
        <source>No frame with a face was rejected.</source>
        <translation>얼굴이 보인 프레임 중 거부된 것이 없습니다.</translation>
    </message>
    <message>
        <source>Median time to a decision</source>
        <translation>판정까지 걸린 시간 (중앙값)</translation>
    </message>
    <message>
        <source>9 in 10 decided within</source>
        <translation>10건 중 9건의 판정 시간</translation>
    </message>
    <message>
        <source>Camera live, last 24 hours</source>
        <translation>카메라 작동, 최근 24시간</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds}초</translation>
    </message>
    <message>
        <source>Refused as a spoof</source>
        <translation>위조로 거부</translation>
    </message>
    <message>
        <source>Too far away</source>
        <translation>너무 멀리 있음</translation>
    </message>
    <message>
        <source>Blurred</source>
        <translation>흐림</translation>
    </message>
    <message>
        <source>Turned left</source>
        <translation>왼쪽으로 돌림</translation>
    </message>
    <message>
        <source>Turned right</source>
        <translation>오른쪽으로 돌림</translation>
    </message>
    <message>
        <source>Looking up</source>
        <translation>위를 봄</translation>
    </message>
    <message>
        <source>Looking down</source>
        <translation>아래를 봄</translation>
    </message>
    <message>
        <source>Face unclear</source>
        <translation>얼굴 불분명</translation>
    </message>
    <message>
        <source>Several people</source>
        <translation>여러 사람</translation>
    </message>
    <message>
        <source>Not live</source>
        <translation>실물 아님</translation>
    </message>
    <message>
        <source>Inconsistent</source>
        <translation>일관성 없음</translation>
    </message>
    <message numerus="yes">
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>최근 %n일</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n sign-in(s)</source>
        <translation>
            <numerusform>로그인 %n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Frames rejected, per reason, of %n frame(s) with a face</source>
        <translation>
            <numerusform>얼굴이 보인 프레임 %n개 중 이유별 거부 비율</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Camera live, last %n day(s)</source>
        <translation>
            <numerusform>카메라 작동, 최근 %n일</numerusform>
        </translation>
    </message>
    <message>
        <source>Sign-in trends — {kiosk}</source>
        <translation>로그인 추세 — {kiosk}</translation>
    </message>
    <message>
        <source>up to {time}</source>
        <translation>{time}까지</translation>
    </message>
    <message>
        <source>No sign-ins yet in this period.</source>
        <translation>이 기간에는 아직 로그인이 없습니다.</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>요약</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>결과</translation>
    </message>
    <message>
        <source>Sign-ins</source>
        <translation>로그인</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>비율</translation>
    </message>
    <message>
        <source>90th percentile</source>
        <translation>90번째 백분위수</translation>
    </message>
    <message>
        <source>Attempts timed (a face was seen)</source>
        <translation>시간을 잰 시도 (얼굴이 보인 경우)</translation>
    </message>
    <message>
        <source>Kiosk running time recorded</source>
        <translation>기록된 키오스크 작동 시간</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours}시간</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>항목</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>값</translation>
    </message>
    <message>
        <source>Sign-ins per hour, last 24 hours</source>
        <translation>시간별 로그인, 최근 24시간</translation>
    </message>
    <message>
        <source>Hour</source>
        <translation>시간</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>(a frame can have several reasons)</source>
        <translation>(한 프레임에 여러 이유가 있을 수 있습니다)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>이유</translation>
    </message>
    <message>
        <source>Share of frames</source>
        <translation>프레임 비율</translation>
    </message>
    <message numerus="yes">
        <source>Sign-ins per day, last %n day(s)</source>
        <translation>
            <numerusform>일별 로그인, 최근 %n일</numerusform>
        </translation>
    </message>
    <message>
        <source>IN</source>
        <translation>출근</translation>
    </message>
    <message>
        <source>OUT</source>
        <translation>퇴근</translation>
    </message>
    <message>
        <source>Goodbye</source>
        <translation>안녕히 가세요</translation>
    </message>
    <message>
        <source>Switch to OUT</source>
        <translation>퇴근으로 바꾸기</translation>
    </message>
    <message>
        <source>Switch to IN</source>
        <translation>출근으로 바꾸기</translation>
    </message>
    <message>
        <source>Recorded at {time}</source>
        <translation>{time}에 기록되었습니다</translation>
    </message>
    <message>
        <source>Already recorded at {time}</source>
        <translation>이미 {time}에 기록되었습니다</translation>
    </message>
    <message>
        <source>Your attendance was not recorded. Please tell a member of staff.</source>
        <translation>출퇴근이 기록되지 않았습니다. 직원에게 알려 주세요.</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>출퇴근 기록</translation>
    </message>
    <message>
        <source>From</source>
        <translation>시작일</translation>
    </message>
    <message>
        <source>To (included)</source>
        <translation>종료일 (포함)</translation>
    </message>
    <message>
        <source>File type</source>
        <translation>파일 형식</translation>
    </message>
    <message>
        <source>Spreadsheet (XLSX)</source>
        <translation>스프레드시트 (XLSX)</translation>
    </message>
    <message>
        <source>Text (CSV)</source>
        <translation>텍스트 (CSV)</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>First IN</source>
        <translation>첫 출근</translation>
    </message>
    <message>
        <source>Last OUT</source>
        <translation>마지막 퇴근</translation>
    </message>
    <message>
        <source>Worked</source>
        <translation>근무 시간</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>누락</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>The last day is before the first.</source>
        <translation>종료일이 시작일보다 앞입니다.</translation>
    </message>
    <message>
        <source>Attendance punch</source>
        <translation>출퇴근 기록</translation>
    </message>
    <message>
        <source>Attendance punch switched</source>
        <translation>출퇴근 기록 변경</translation>
    </message>
    <message>
        <source>Attendance exported</source>
        <translation>출퇴근 기록 내보내기</translation>
    </message>
    <message>
        <source>Your face is more typical than {percent}% of the actors.</source>
        <translation>당신의 얼굴은 배우들의 {percent}%보다 더 평균적입니다.</translation>
    </message>
    <message>
        <source>The most typical face here: {name}</source>
        <translation>여기서 가장 평균적인 얼굴: {name}</translation>
    </message>
    <message numerus="yes">
        <source>%n person-day(s)</source>
        <translation>
            <numerusform>일별 기록 %n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with a missing punch</source>
        <translation>
            <numerusform>누락된 기록 %n건</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n day(s) at a time.</source>
        <translation>
            <numerusform>한 번에 최대 %n일까지입니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>A sign-in is for</source>
        <translation>로그인의 용도</translation>
    </message>
    <message>
        <source>Greeting the person</source>
        <translation>인사만 하기</translation>
    </message>
    <message>
        <source>Attendance: IN and OUT</source>
        <translation>출퇴근 기록: 출근과 퇴근</translation>
    </message>
    <message>
        <source>Import roster…</source>
        <translation>명단 가져오기…</translation>
    </message>
    <message>
        <source>Roster import</source>
        <translation>명단 가져오기</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <source>Nothing is held about ID {id}: no name, no face template, no face picture, no punches.</source>
        <translation>ID {id}에 대해 보관된 것이 없습니다: 이름, 얼굴 템플릿, 얼굴 사진, 출퇴근 기록 모두 없습니다.</translation>
    </message>
    <message>
        <source>When a person is deleted, the audit rows and events that named them are pseudonymised: the decision and time stay, the person is replaced by a pseudonym (deleted-…) that is not linked to the ID.</source>
        <translation>사람을 삭제하면 그 사람을 가리키던 감사 기록과 이벤트는 가명 처리됩니다: 판정과 시각은 남고, 사람은 ID와 연결되지 않는 가명(deleted-…)으로 바뀝니다.</translation>
    </message>
    <message>
        <source>A deletion notice ({type}, {time}) still names this ID until it is delivered and the events retention removes it.</source>
        <translation>삭제 알림({type}, {time})은 전달되고 이벤트 보관 기간이 지나 지워질 때까지 이 ID를 담고 있습니다.</translation>
    </message>
    <message>
        <source>The fleet keeps a record that this ID was deleted, so other kiosks delete it too.</source>
        <translation>다른 키오스크도 삭제하도록, 플릿은 이 ID가 삭제되었다는 기록을 보관합니다.</translation>
    </message>
    <message>
        <source>Name: {name}</source>
        <translation>이름: {name}</translation>
    </message>
    <message>
        <source>ID: {id}</source>
        <translation>ID: {id}</translation>
    </message>
    <message>
        <source>Enrolled: {time}</source>
        <translation>등록: {time}</translation>
    </message>
    <message>
        <source>Last changed: {time}</source>
        <translation>마지막 변경: {time}</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>상태: {status}</translation>
    </message>
    <message>
        <source>active</source>
        <translation>사용 중</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>사용 중지</translation>
    </message>
    <message>
        <source>Consent: agreed to text version {version} on {time}</source>
        <translation>동의: {time}에 동의문 버전 {version}에 동의함</translation>
    </message>
    <message>
        <source>Consent: none recorded</source>
        <translation>동의: 기록 없음</translation>
    </message>
    <message>
        <source>Face templates (looks): {count}. A template is a list of numbers made from the face; it is kept encrypted and never shown or exported in this report.</source>
        <translation>얼굴 템플릿(모습): {count}개. 템플릿은 얼굴에서 만든 숫자 목록으로, 암호화되어 보관되며 이 보고서에 표시되거나 내보내지지 않습니다.</translation>
    </message>
    <message>
        <source>model pack {pack}, made {time}</source>
        <translation>모델 팩 {pack}, {time}에 만듦</translation>
    </message>
    <message>
        <source>Face picture: one small picture (112 px), kept encrypted since {time}, shown to administrators.</source>
        <translation>얼굴 사진: 작은 사진 한 장(112픽셀), {time}부터 암호화되어 보관되며 관리자에게 표시됩니다.</translation>
    </message>
    <message>
        <source>Face picture: none kept</source>
        <translation>얼굴 사진: 보관하지 않음</translation>
    </message>
    <message>
        <source>Audit rows that name this person: {count}</source>
        <translation>이 사람을 가리키는 감사 기록: {count}건</translation>
    </message>
    <message>
        <source>Attendance punches: {count}</source>
        <translation>출퇴근 기록: {count}건</translation>
    </message>
    <message>
        <source>Stored events that name this person: {count}</source>
        <translation>이 사람을 가리키는 저장된 이벤트: {count}건</translation>
    </message>
    <message>
        <source>Fleet: this kiosk is not in a fleet</source>
        <translation>플릿: 이 키오스크는 플릿에 속하지 않습니다</translation>
    </message>
    <message>
        <source>Fleet: this kiosk is in fleet {fleet}; the fleet server holds this person's record, and every kiosk of the fleet has a copy.</source>
        <translation>플릿: 이 키오스크는 플릿 {fleet}에 속합니다. 플릿 서버가 이 사람의 기록을 보관하며, 플릿의 모든 키오스크가 사본을 가집니다.</translation>
    </message>
    <message>
        <source>Fleet: this kiosk is in fleet {fleet}; this person is not yet on the fleet server.</source>
        <translation>플릿: 이 키오스크는 플릿 {fleet}에 속합니다. 이 사람은 아직 플릿 서버에 없습니다.</translation>
    </message>
    <message>
        <source>When this person is deleted, these audit rows and events are pseudonymised: the decision and time stay, the identity goes. Events already delivered to a receiver cannot be recalled.</source>
        <translation>이 사람을 삭제하면 이 감사 기록과 이벤트는 가명 처리됩니다: 판정과 시각은 남고 신원은 사라집니다. 이미 수신처에 전달된 이벤트는 회수할 수 없습니다.</translation>
    </message>
    <message>
        <source>What this kiosk holds about ID {id}</source>
        <translation>이 키오스크가 ID {id}에 대해 보관하는 것</translation>
    </message>
    <message>
        <source>Kiosk {kiosk}, {time}</source>
        <translation>키오스크 {kiosk}, {time}</translation>
    </message>
    <message>
        <source>The person has read this and agrees (required)</source>
        <translation>본인이 읽고 동의했습니다 (필수)</translation>
    </message>
    <message>
        <source>The person has read this and agrees</source>
        <translation>본인이 읽고 동의했습니다</translation>
    </message>
    <message>
        <source>Not saved: this kiosk enrolls only people who agree. Tick the box once the person has agreed.</source>
        <translation>저장하지 않았습니다: 이 키오스크는 동의한 사람만 등록합니다. 본인이 동의하면 확인란을 선택하세요.</translation>
    </message>
    <message>
        <source>Consent (version {version}): this kiosk keeps your name, your ID, an encrypted face template made from these pictures and, if the kiosk is set to, one small face picture, to recognise you when you sign in. It records each sign-in. Nothing leaves the kiosk except the events it is set to send. You can ask what it holds about you, and to be deleted, at any time.</source>
        <translation>동의 (버전 {version}): 이 키오스크는 로그인할 때 본인을 알아보기 위해 이름, ID, 이 사진들로 만든 암호화된 얼굴 템플릿, 그리고 설정된 경우 작은 얼굴 사진 한 장을 보관합니다. 로그인할 때마다 기록합니다. 보내도록 설정된 이벤트 외에는 아무것도 키오스크 밖으로 나가지 않습니다. 언제든지 보관된 내용을 확인하거나 삭제를 요청할 수 있습니다.</translation>
    </message>
    <message>
        <source>What is kept</source>
        <translation>보관 내용</translation>
    </message>
    <message>
        <source>Save to a file…</source>
        <translation>파일로 저장…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Choose the roster CSV</source>
        <translation>명단 CSV 파일 선택</translation>
    </message>
    <message>
        <source>Stopped. Import the same roster again to carry on.</source>
        <translation>중지했습니다. 같은 명단을 다시 가져오면 이어서 진행합니다.</translation>
    </message>
    <message>
        <source>Enrolled {enrolled}, already enrolled {already}, not enrolled {refused}, of {total} rows.</source>
        <translation>전체 {total}행 중 등록 {enrolled}명, 이미 등록됨 {already}명, 등록 안 됨 {refused}명.</translation>
    </message>
    <message>
        <source>About {minutes}:{seconds:02d} left.</source>
        <translation>약 {minutes}:{seconds:02d} 남음.</translation>
    </message>
    <message>
        <source>{done} of {total} rows, {rate:.1f} per second.</source>
        <translation>{total}행 중 {done}행, 초당 {rate:.1f}명.</translation>
    </message>
    <message>
        <source>and {n} more</source>
        <translation>외 {n}건</translation>
    </message>
    <message>
        <source>Line {line}, ID {id}: {reason}</source>
        <translation>{line}행, ID {id}: {reason}</translation>
    </message>
    <message>
        <source>Choose a PIN of at least {n} digits</source>
        <translation>{n}자리 이상의 PIN을 정하세요</translation>
    </message>
    <message>
        <source>Clear lockout</source>
        <translation>잠금 해제</translation>
    </message>
    <message>
        <source>Failed sign-ins in a row: {face} by face, {pin} by PIN</source>
        <translation>연속 로그인 실패: 얼굴 {face}회, PIN {pin}회</translation>
    </message>
    <message>
        <source>How visitors sign in</source>
        <translation>방문자 로그인 방식</translation>
    </message>
    <message>
        <source>ID card or number, then the face</source>
        <translation>ID 카드 또는 번호, 그다음 얼굴</translation>
    </message>
    <message>
        <source>ID {id} is locked. Try again in {s} seconds, or ask a member of staff.</source>
        <translation>ID {id}이(가) 잠겼습니다. {s}초 후에 다시 시도하거나 직원에게 문의하세요.</translation>
    </message>
    <message>
        <source>ID {id}: type your PIN and press OK.</source>
        <translation>ID {id}: PIN을 입력하고 확인을 누르세요.</translation>
    </message>
    <message>
        <source>Locked for {s} more seconds</source>
        <translation>{s}초 더 잠겨 있음</translation>
    </message>
    <message>
        <source>Locked for {s} s</source>
        <translation>{s}초 잠김</translation>
    </message>
    <message>
        <source>No personal PIN</source>
        <translation>개인 PIN 없음</translation>
    </message>
    <message>
        <source>Not confirmed</source>
        <translation>확인되지 않음</translation>
    </message>
    <message>
        <source>Offer the person's own PIN when the face is not accepted</source>
        <translation>얼굴이 인정되지 않으면 본인의 PIN 입력을 제안</translation>
    </message>
    <message>
        <source>Personal PIN set</source>
        <translation>개인 PIN 설정됨</translation>
    </message>
    <message>
        <source>Set personal PIN</source>
        <translation>개인 PIN 설정</translation>
    </message>
    <message>
        <source>Show your badge, or tap Sign in to type your ID</source>
        <translation>사원증을 대거나, 로그인을 눌러 ID를 입력하세요</translation>
    </message>
    <message>
        <source>Sign in with</source>
        <translation>로그인 방법</translation>
    </message>
    <message>
        <source>Signed in with your PIN.</source>
        <translation>PIN으로 로그인되었습니다.</translation>
    </message>
    <message>
        <source>The PIN was not accepted.</source>
        <translation>PIN이 맞지 않습니다.</translation>
    </message>
    <message>
        <source>The face alone</source>
        <translation>얼굴만</translation>
    </message>
    <message>
        <source>The face alone, or an ID card then the face</source>
        <translation>얼굴만, 또는 ID 카드 후 얼굴</translation>
    </message>
    <message>
        <source>The lockout was cleared.</source>
        <translation>잠금이 해제되었습니다.</translation>
    </message>
    <message>
        <source>The personal PIN was saved.</source>
        <translation>개인 PIN이 저장되었습니다.</translation>
    </message>
    <message>
        <source>Too many attempts</source>
        <translation>시도 횟수 초과</translation>
    </message>
    <message>
        <source>Type your ID number and press OK, or hold your badge to the reader.</source>
        <translation>ID 번호를 입력하고 확인을 누르거나, 사원증을 리더기에 대세요.</translation>
    </message>
    <message>
        <source>Use my PIN instead</source>
        <translation>대신 PIN 사용</translation>
    </message>
    <message>
        <source>With an ID the face is compared with that person only, and accepted at {one} or above; the face alone at {many}.</source>
        <translation>ID가 있으면 얼굴을 그 사람과만 비교하여 {one} 이상에서 인정합니다. 얼굴만으로는 {many} 이상입니다.</translation>
    </message>
    <message>
        <source>Your ID</source>
        <translation>내 ID</translation>
    </message>
    <message>
        <source>Your face did not match the ID {id}.</source>
        <translation>얼굴이 ID {id}와(과) 일치하지 않습니다.</translation>
    </message>
    <message>
        <source>Your face matches your ID. You are signed in.</source>
        <translation>얼굴이 ID와 일치합니다. 로그인되었습니다.</translation>
    </message>
    <message>
        <source>Your personal PIN</source>
        <translation>개인 PIN</translation>
    </message>
    <message>
        <source>Sign-in with an ID</source>
        <translation>ID로 로그인</translation>
    </message>
    <message>
        <source>Sign-in with a personal PIN</source>
        <translation>개인 PIN으로 로그인</translation>
    </message>
    <message>
        <source>ID locked after failed sign-ins</source>
        <translation>로그인 실패로 ID 잠김</translation>
    </message>
    <message>
        <source>ID lockout cleared</source>
        <translation>ID 잠금 해제</translation>
    </message>
    <message>
        <source>Personal PIN changed</source>
        <translation>개인 PIN 변경</translation>
    </message>
    <message>
        <source>Refused: locked</source>
        <translation>거부됨: 잠김</translation>
    </message>
    <message>
        <source>Nothing to save: no setting was changed.</source>
        <translation>저장할 것이 없습니다: 바뀐 설정이 없습니다.</translation>
    </message>
    <message>
        <source>Save these changes?</source>
        <translation>이 변경 사항을 저장할까요?</translation>
    </message>
    <message>
        <source>I understand: the kiosk becomes easier to fool</source>
        <translation>이해했습니다: 키오스크를 속이기가 더 쉬워집니다</translation>
    </message>
    <message>
        <source>Save these changes</source>
        <translation>변경 사항 저장</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>계속 편집</translation>
    </message>
    <message>
        <source>Accept at or above {value} is below {pack}, the model pack's calibrated value: more strangers will be accepted as someone enrolled.</source>
        <translation>수락 기준 {value}은(는) 모델 팩의 보정값 {pack}보다 낮습니다: 더 많은 낯선 사람이 등록된 사람으로 수락됩니다.</translation>
    </message>
    <message>
        <source>Reject below {value} is below {pack}, the model pack's calibrated value: fewer strangers are turned away at once.</source>
        <translation>거부 기준 {value}은(는) 모델 팩의 보정값 {pack}보다 낮습니다: 바로 거부되는 낯선 사람이 줄어듭니다.</translation>
    </message>
    <message>
        <source>The model pack records no measured false-accept rate below its calibrated thresholds, so how many strangers this lets in is not known.</source>
        <translation>모델 팩에는 보정된 기준값 아래의 측정된 오수락률이 기록되어 있지 않으므로, 이 값으로 낯선 사람이 얼마나 통과할지 알 수 없습니다.</translation>
    </message>
    <message>
        <source>The model pack is not calibrated: its thresholds are defaults and no false-accept rate is known for any value.</source>
        <translation>모델 팩이 보정되지 않았습니다: 기준값은 기본값이며 어떤 값에서도 오수락률을 알 수 없습니다.</translation>
    </message>
    <message>
        <source>{profile}: the check for photos and screens is turned off: a photo of an enrolled person will be accepted.</source>
        <translation>{profile}: 사진과 화면 검사가 꺼집니다: 등록된 사람의 사진이 수락됩니다.</translation>
    </message>
    <message>
        <source>{profile}: the head turn is no longer asked for: in tests about 4 in 10 good photos or phone screens held up to the camera got through without it.</source>
        <translation>{profile}: 더 이상 고개 돌리기를 요구하지 않습니다: 시험에서 카메라에 비춘 좋은 사진이나 휴대폰 화면 10개 중 약 4개가 그것 없이 통과했습니다.</translation>
    </message>
    <message>
        <source>This kiosk is not set up yet</source>
        <translation>이 키오스크는 아직 설정되지 않았습니다</translation>
    </message>
    <message>
        <source>Type the setup code</source>
        <translation>설정 코드를 입력하세요</translation>
    </message>
    <message>
        <source>Close the kiosk?</source>
        <translation>키오스크를 닫을까요?</translation>
    </message>
    <message>
        <source>The {n}-digit code printed by kiosk admin set-pin --setup-code when the kiosk was installed.</source>
        <translation>키오스크를 설치할 때 kiosk admin set-pin --setup-code 가 출력한 {n}자리 코드입니다.</translation>
    </message>
    <message>
        <source>At least {n} digits, not a run or a repeat (like 123456 or 000000). There is no default PIN.</source>
        <translation>{n}자리 이상, 연속되거나 반복되는 숫자(123456, 000000 등)는 안 됩니다. 기본 PIN은 없습니다.</translation>
    </message>
    <message>
        <source>Nobody can sign in until the kiosk is started again.</source>
        <translation>키오스크를 다시 시작할 때까지 아무도 로그인할 수 없습니다.</translation>
    </message>
    <message>
        <source>Wrong setup code. Try again.</source>
        <translation>설정 코드가 틀렸습니다. 다시 입력하세요.</translation>
    </message>
    <message>
        <source>This PIN is too easy to guess: no runs or repeats like 123456, 654321, 000000 or 121212.</source>
        <translation>추측하기 너무 쉬운 PIN입니다: 123456, 654321, 000000, 121212 같은 연속이나 반복은 안 됩니다.</translation>
    </message>
    <message>
        <source>Type the admin PIN to close the kiosk.</source>
        <translation>키오스크를 닫으려면 관리자 PIN을 입력하세요.</translation>
    </message>
    <message>
        <source>First-start setup code</source>
        <translation>첫 시작 설정 코드</translation>
    </message>
    <message>
        <source>Identity check from the command line</source>
        <translation>명령줄에서 한 신원 확인</translation>
    </message>
    <message numerus="yes">
        <source>%n try(s) left before a lockout</source>
        <translation>
            <numerusform>잠기기 전까지 %n번 남음</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n try(s) left</source>
        <translation>
            <numerusform>%n번 남음</numerusform>
        </translation>
    </message>
    <message>
        <source>wrong PIN</source>
        <translation>틀린 PIN</translation>
    </message>
    <message>
        <source>locked for {n} s</source>
        <translation>{n}초 동안 잠김</translation>
    </message>
    <message>
        <source>too many wrong PINs: try again in {n} s</source>
        <translation>틀린 PIN이 너무 많음: {n}초 후 다시 시도</translation>
    </message>
    <message>
        <source>wrong admin name or PIN</source>
        <translation>틀린 관리자 이름 또는 PIN</translation>
    </message>
    <message>
        <source>wrong setup code</source>
        <translation>틀린 설정 코드</translation>
    </message>
    <message>
        <source>kiosk identify: a check, not a sign-in</source>
        <translation>kiosk identify: 확인일 뿐 로그인이 아님</translation>
    </message>
    <message>
        <source>confirmed by the signed-in admin</source>
        <translation>로그인한 관리자가 확인함</translation>
    </message>
    <message>
        <source>admin PIN</source>
        <translation>관리자 PIN</translation>
    </message>
    <message>
        <source>Nobody is enrolled yet: sign-in opens once an admin enrolls people.</source>
        <translation>아직 등록된 사람이 없습니다: 관리자가 사람을 등록하면 로그인할 수 있습니다.</translation>
    </message>
    <message>
        <source>An operator must allow the first admin PIN on this computer: kiosk admin set-pin --setup-code prints a code to type here (the installer showed one), or kiosk admin set-pin sets the PIN there.</source>
        <translation>운영자가 이 컴퓨터에서 첫 관리자 PIN을 허용해야 합니다: kiosk admin set-pin --setup-code 가 여기에 입력할 코드를 출력하거나(설치 프로그램이 보여 주었습니다), kiosk admin set-pin 으로 그곳에서 PIN을 정합니다.</translation>
    </message>
    <message>
        <source>Looks like {name} (ID {id}): similarity {score}, where {threshold} counts as the same person. If both are saved, both may be told “We could not be sure it is you”.</source>
        <translation>이미 등록된 {name}(ID {id})와 닮았습니다: 유사도 {score} ({threshold} 이상이면 같은 사람). 둘 다 저장하면 둘 다 “본인인지 확실하지 않습니다”를 볼 수 있습니다.</translation>
    </message>
    <message>
        <source>Ask them to turn the head slowly left, then right, then face the camera.</source>
        <translation>고개를 천천히 왼쪽, 오른쪽으로 돌린 뒤 카메라를 보도록 안내하십시오.</translation>
    </message>
    <message>
        <source>Ask them to hold still, close to the camera, in good light.</source>
        <translation>밝은 곳에서 카메라 가까이 가만히 있도록 안내하십시오.</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>휴대폰</translation>
    </message>
    <message>
        <source>Tablet</source>
        <translation>태블릿</translation>
    </message>
    <message>
        <source>Printed photo</source>
        <translation>인쇄한 사진</translation>
    </message>
    <message>
        <source>Real faces</source>
        <translation>실제 얼굴</translation>
    </message>
    <message>
        <source>Hold a phone showing a face in front of the camera. Move it a little, tilt it, come closer.</source>
        <translation>얼굴이 보이는 휴대폰을 카메라 앞에 들어 주세요. 조금씩 움직이고, 기울이고, 가까이 가져오세요.</translation>
    </message>
    <message>
        <source>Now hold a tablet showing a face in front of the camera. Move it a little, tilt it.</source>
        <translation>이제 얼굴이 보이는 태블릿을 카메라 앞에 들어 주세요. 조금씩 움직이고 기울여 주세요.</translation>
    </message>
    <message>
        <source>Now hold a printed photo of a face in front of the camera. Move it a little, bend it.</source>
        <translation>이제 얼굴을 인쇄한 사진을 카메라 앞에 들어 주세요. 조금씩 움직이고 구부려 주세요.</translation>
    </message>
    <message>
        <source>Look at the camera, then let colleagues take turns: real faces, one at a time.</source>
        <translation>카메라를 바라봐 주세요. 그다음 동료들이 한 명씩 차례로 카메라를 봐 주세요.</translation>
    </message>
    <message>
        <source>Teach the camera</source>
        <translation>카메라 학습</translation>
    </message>
    <message>
        <source>Teach this kiosk what attacks look like in front of its own camera, in its own light. Only measurements of each picture are kept, never the picture.</source>
        <translation>이 키오스크의 카메라와 조명에서 위장 공격이 어떻게 보이는지 가르칩니다. 각 사진의 측정값만 저장하며 사진은 저장하지 않습니다.</translation>
    </message>
    <message>
        <source>Teach attacks</source>
        <translation>공격 가르치기</translation>
    </message>
    <message>
        <source>Teach real faces</source>
        <translation>실제 얼굴 가르치기</translation>
    </message>
    <message>
        <source>Retrain</source>
        <translation>다시 학습</translation>
    </message>
    <message>
        <source>Forget what was taught</source>
        <translation>학습한 내용 지우기</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>멈추기</translation>
    </message>
    <message>
        <source>{kind}: {count}</source>
        <translation>{kind}: {count}</translation>
    </message>
    <message>
        <source>Taught so far</source>
        <translation>지금까지 학습한 수</translation>
    </message>
    <message>
        <source>Done. Thank you.</source>
        <translation>완료했습니다. 감사합니다.</translation>
    </message>
    <message>
        <source>No face seen: hold it so the face on it faces the camera.</source>
        <translation>얼굴이 보이지 않습니다. 화면이나 사진 속 얼굴이 카메라를 향하게 들어 주세요.</translation>
    </message>
    <message>
        <source>Retraining… The first time, the development data is measured: this can take minutes.</source>
        <translation>다시 학습하는 중… 처음에는 개발용 데이터를 측정하므로 몇 분 걸릴 수 있습니다.</translation>
    </message>
    <message>
        <source>With the development data, on held-back samples</source>
        <translation>개발용 데이터와 함께 학습: 제외해 둔 샘플로 측정</translation>
    </message>
    <message>
        <source>This camera only: measured on every taught sample</source>
        <translation>이 카메라로만 학습: 학습한 모든 샘플로 측정한 결과</translation>
    </message>
    <message>
        <source>Not kept: the new check was not better on the taught samples. The kiosk keeps its current check.</source>
        <translation>적용하지 않음: 새 검사가 학습한 샘플에서 더 낫지 않았습니다. 키오스크는 지금의 검사를 계속 사용합니다.</translation>
    </message>
    <message>
        <source>Each taught picture was scored by a check trained without it: {attacks} attack pictures, {real} real-face pictures.</source>
        <translation>학습한 사진마다 그 사진 없이 학습한 검사로 채점했습니다: 공격 사진 {attacks}장, 실제 얼굴 사진 {real}장.</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>이전</translation>
    </message>
    <message>
        <source>After</source>
        <translation>이후</translation>
    </message>
    <message>
        <source>Attacks accepted (APCER)</source>
        <translation>통과된 공격 (APCER)</translation>
    </message>
    <message>
        <source>Real faces refused (BPCER)</source>
        <translation>거부된 실제 얼굴 (BPCER)</translation>
    </message>
    <message>
        <source>Threshold</source>
        <translation>기준값</translation>
    </message>
    <message>
        <source>Kept: the kiosk now uses the taught check.</source>
        <translation>적용함: 이제 키오스크가 새로 학습한 검사를 사용합니다.</translation>
    </message>
    <message>
        <source>Not kept: the new check was worse on the held-back samples. The kiosk keeps its current check.</source>
        <translation>적용하지 않음: 새 검사가 제외해 둔 샘플에서 더 나빴습니다. 키오스크는 지금의 검사를 계속 사용합니다.</translation>
    </message>
    <message>
        <source>Held back: {attacks} attack pictures, {real} real-face pictures.</source>
        <translation>제외해 둔 샘플: 공격 사진 {attacks}장, 실제 얼굴 사진 {real}장.</translation>
    </message>
    <message>
        <source>Camera taught: passive check retrained</source>
        <translation>카메라 학습: 위장 검사 다시 학습</translation>
    </message>
    <message>
        <source>Camera teaching forgotten</source>
        <translation>카메라 학습 내용 삭제</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>적용함</translation>
    </message>
    <message>
        <source>Not kept</source>
        <translation>적용하지 않음</translation>
    </message>
    <message>
        <source>Tap again to forget</source>
        <translation>한 번 더 누르면 지웁니다</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>보고서 저장</translation>
    </message>
    <message>
        <source>Privacy</source>
        <translation>개인정보</translation>
    </message>
    <message>
        <source>Enroll only with the person's consent</source>
        <translation>본인이 동의한 경우에만 등록</translation>
    </message>
    <message>
        <source>Keep the audit log (days)</source>
        <translation>감사 기록 보관 기간(일)</translation>
    </message>
    <message>
        <source>Keep sign-in statistics (days)</source>
        <translation>로그인 통계 보관 기간(일)</translation>
    </message>
    <message>
        <source>Keep attendance punches (days)</source>
        <translation>출퇴근 기록 보관 기간(일)</translation>
    </message>
    <message>
        <source>0 days keeps them forever. Older rows are deleted when the kiosk starts and once a day; each deletion is recorded in the audit log.</source>
        <translation>0일이면 영구 보관합니다. 더 오래된 기록은 키오스크가 시작할 때와 하루에 한 번 삭제되며, 삭제할 때마다 감사 기록에 남습니다.</translation>
    </message>
    <message>
        <source>Old records deleted (retention)</source>
        <translation>오래된 기록 삭제(보관 기간)</translation>
    </message>
    <message>
        <source>Please read this to the person</source>
        <translation>본인에게 이 내용을 읽어 주세요</translation>
    </message>
    <message>
        <source>Add a look to {name}</source>
        <translation>{name}의 모습 추가</translation>
    </message>
    <message>
        <source>Looks (identification takes the best one)</source>
        <translation>등록된 모습 (가장 잘 맞는 모습으로 확인합니다)</translation>
    </message>
    <message>
        <source>Label of a new look (optional): glasses, beard…</source>
        <translation>새 모습 이름 (선택): 안경, 수염…</translation>
    </message>
    <message>
        <source>Add a look…</source>
        <translation>모습 추가…</translation>
    </message>
    <message>
        <source>Delete look</source>
        <translation>모습 삭제</translation>
    </message>
    <message>
        <source>Recent look (from a sign-in)</source>
        <translation>최근 모습 (로그인에서)</translation>
    </message>
    <message>
        <source>Look {n}</source>
        <translation>모습 {n}</translation>
    </message>
    <message>
        <source>other model pack</source>
        <translation>다른 모델 팩</translation>
    </message>
    <message>
        <source>Look deleted.</source>
        <translation>모습을 삭제했습니다.</translation>
    </message>
    <message>
        <source>Replace a look of {name}</source>
        <translation>{name}의 모습 바꾸기</translation>
    </message>
    <message>
        <source>Replace look…</source>
        <translation>모습 바꾸기…</translation>
    </message>
    <message>
        <source>Model migration from stored face pictures</source>
        <translation>저장된 얼굴 사진으로 모델 이전</translation>
    </message>
    <message>
        <source>Choose the new model pack's folder</source>
        <translation>새 모델 팩 폴더 선택</translation>
    </message>
    <message>
        <source>Stopped. Migrate to the same pack again to carry on.</source>
        <translation>중지했습니다. 같은 팩으로 다시 이전하면 이어서 진행합니다.</translation>
    </message>
    <message>
        <source>Migrated {migrated}, already migrated {already}, not migrated {failed}, look-alike pairs {pairs}.</source>
        <translation>이전 {migrated}명, 이미 이전됨 {already}명, 이전 안 됨 {failed}명, 닮은 쌍 {pairs}개.</translation>
    </message>
    <message>
        <source>The new templates count once {pack} is the active model pack.</source>
        <translation>{pack}을(를) 사용 중인 모델 팩으로 바꾸면 새 템플릿이 쓰입니다.</translation>
    </message>
    <message>
        <source>{done} of {total} people.</source>
        <translation>전체 {total}명 중 {done}명.</translation>
    </message>
    <message>
        <source>Migrate to a model pack…</source>
        <translation>모델 팩으로 이전…</translation>
    </message>
    <message>
        <source>Look added</source>
        <translation>모습 추가됨</translation>
    </message>
    <message>
        <source>Look deleted</source>
        <translation>모습 삭제됨</translation>
    </message>
    <message>
        <source>Look refused</source>
        <translation>모습 추가 거부됨</translation>
    </message>
    <message>
        <source>Recent look refreshed</source>
        <translation>최근 모습 갱신됨</translation>
    </message>
    <message>
        <source>Looks reverted to the enrolled ones</source>
        <translation>등록된 모습으로 되돌림</translation>
    </message>
    <message>
        <source>Faces moved to a new model pack</source>
        <translation>새 모델 팩으로 얼굴 이전됨</translation>
    </message>
    <message>
        <source>No face picture kept</source>
        <translation>보관된 얼굴 사진이 없습니다</translation>
    </message>
    <message>
        <source>The face picture cannot be read</source>
        <translation>얼굴 사진을 읽을 수 없습니다</translation>
    </message>
    <message>
        <source>The face picture is too blurred</source>
        <translation>얼굴 사진이 너무 흐립니다</translation>
    </message>
    <message>
        <source>Adaptive asks for the head turn only when the check is unsure. With the default model pack, trained for it and tested on rooms it had not seen, about 1 in 25 real sign-ins were asked to turn (about 1 in 8 in the hardest room), none were refused, and about 4 in 1000 photo or screen attacks got through without the turn; Standard with the same pack let about 1 in 100 through and refused about 2 in 100 real sign-ins. A pack without that training asks everyone, like Strict.</source>
        <translation>적응형은 검사가 확실하지 않을 때만 고개 돌리기를 요청합니다. 이를 위해 학습한 기본 모델 팩으로 학습에 쓰지 않은 장소에서 시험했을 때, 실제 로그인 25건 중 약 1건이 고개 돌리기를 요청받았고(가장 어려운 장소에서는 약 8건 중 1건), 거부된 로그인은 없었으며, 사진이나 화면 공격은 1000건 중 약 4건이 고개 돌리기 없이 통과했습니다. 같은 팩으로 표준은 공격 100건 중 약 1건을 통과시키고 실제 로그인 100건 중 약 2건을 거부했습니다. 이 학습을 하지 않은 팩은 엄격처럼 모든 사람에게 요청합니다.</translation>
    </message>
    <message>
        <source>Automatic is Adaptive with a model pack trained for it and Standard with any other.</source>
        <translation>자동은 이를 위해 학습한 모델 팩에서는 적응형, 그 밖의 팩에서는 표준입니다.</translation>
    </message>
    <message>
        <source>Automatic (now {level})</source>
        <translation>자동 (현재 {level})</translation>
    </message>
    <message>
        <source>{profile}: the head turn is no longer asked for when the check is unsure: in tests on rooms the model pack had not seen, about 1 in 100 photo or screen attacks got through instead of about 4 in 1000.</source>
        <translation>{profile}: 검사가 확실하지 않을 때도 더 이상 고개 돌리기를 요구하지 않습니다: 모델 팩이 보지 못한 장소에서의 시험에서 사진이나 화면 공격이 1000건 중 약 4건 대신 100건 중 약 1건 통과했습니다.</translation>
    </message>
    <message>
        <source>{profile}: the head turn is asked for only when the check is unsure: in tests about 4 in 1000 photo or screen attacks got through without it.</source>
        <translation>{profile}: 검사가 확실하지 않을 때만 고개 돌리기를 요구합니다: 시험에서 사진이나 화면 공격 1000건 중 약 4건이 고개 돌리기 없이 통과했습니다.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>자동</translation>
    </message>
</context>
</TS>
